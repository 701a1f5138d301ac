import {Flags} from '@oclif/core'

/** Flags more than one command takes. */
export const paymentTimeoutFlag = {
  'payment-timeout-ms': Flags.integer({
    description: 'how long to wait for the payment system this once (default: setting paymentTimeoutMs, 610)',
    min: 1,
  }),
}
