// @ts-check
/**
 * The payment service on Moleculer: approve, decided by the payment service's own decider
 * (src/services/payment/decide.ts). It answers with the payment and the event that made it, as
 * gdmarket's payment answers reservation.
 */
import {decidePayment} from '../../../dist/services/payment/decide.js'
import {evolvePayment, initialPaymentState, latestPayment} from '../../../dist/services/payment/payment.js'
import {refusalToClientError} from './serviceState.mjs'

/** @type {import('./serviceState.mjs').Domain<any>} */
export const domain = {name: 'payment', initialState: initialPaymentState, evolve: evolvePayment}

/** gdmarket's paymentLimit default (src/config.ts): the bench's prices are far below it */
const PAYMENT_LIMIT = 1_000_000

const positive = {type: 'number', integer: true, positive: true}

/** @param {import('./serviceState.mjs').ServiceState<any>} state */
export function paymentService(state) {
  return {
    name: 'payment',
    hooks: {error: {'*': refusalToClientError}},
    events: state.handlers(),
    actions: {
      approve: {
        params: {reservationNo: positive, itemNo: positive, amount: positive, correlationId: {type: 'string', optional: true}},
        handler: (/** @type {any} */ ctx) => {
          const {reservationNo, itemNo, amount, correlationId} = ctx.params
          return state.execute(
            ctx,
            (s) => decidePayment({type: 'approve', reservationNo, itemNo, amount, limit: PAYMENT_LIMIT}, s),
            (s, events) => ({payment: latestPayment(s, reservationNo), events}),
            correlationId,
          )
        },
      },
    },
  }
}
