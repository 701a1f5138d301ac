import {z} from 'zod'

import {wholeNumber} from './fields.js'
import {collectionOf, payment} from './records.js'
import {command} from './command.js'
import {envelopes} from './envelopes.js'
import {routes} from './routes.js'

/** what payment answers reservation: the payment, and the events that made it, for the caller to apply */
const paymentReply = z.object({payment, events: envelopes})
export type PaymentReply = z.output<typeof paymentReply>

/** The payment service's commands: its records for everyone, approve and cancel for reservation alone. */
export const paymentCommands = {
  list: command({
    service: 'payment',
    summary: 'Every payment',
    input: z.strictObject({}),
    output: collectionOf('payments', payment),
    refusals: [],
    http: routes.payment.list,
  }),
  show: command({
    service: 'payment',
    summary: 'One payment',
    input: z.strictObject({paymentNo: wholeNumber}),
    output: payment,
    refusals: ['PAYMENT_NOT_FOUND'],
    http: routes.payment.show,
  }),
  /** asked by reservation (pay): idempotent per reservation, never a second charge */
  approve: command({
    service: 'payment',
    summary: "Approve a reservation's payment",
    input: z.strictObject({reservationNo: wholeNumber, itemNo: wholeNumber, amount: wholeNumber, correlationId: z.string().optional()}),
    output: paymentReply,
    refusals: ['RESERVATION_CANCELLED', 'DECLINED'],
  }),
  /** asked by reservation (payment cancel, cancel): a refund, idempotent */
  cancel: command({
    service: 'payment',
    summary: "Refund a reservation's payment",
    input: z.strictObject({reservationNo: wholeNumber, correlationId: z.string().optional()}),
    output: paymentReply,
    refusals: ['PAYMENT_NOT_FOUND'],
  }),
}
