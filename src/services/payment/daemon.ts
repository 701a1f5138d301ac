import {setTimeout as sleep} from 'node:timers/promises'

import type {Envelope} from '../../bus/events.js'
import {followsOf} from '../../bus/topics.js'
import {contract} from '../../contract/index.js'
import type {PaymentReply} from '../../contract/payment.js'
import {newCorrelationId, type ServiceDefinition} from '../../runtime/service.js'
import {decidePayment, findPayment, reactPayment} from './decide.js'
import {evolvePayment, initialPaymentState, latestPayment, type Payment, type PaymentState} from './payment.js'

export const paymentService: ServiceDefinition<PaymentState, typeof contract.payment> = {
  name: 'payment',
  commands: contract.payment,
  initialState: initialPaymentState,
  follows: [...followsOf.payment],
  evolve: evolvePayment,
  react: reactPayment,
  // approve and cancel have a deadline of their own (610 ms) and depend on no other service's
  // latest events: reservation decides a reservation's pay, refund and cancel one after the other,
  // so it never asks for an approval of a reservation it is cancelling. (An approval that outlived
  // its caller still counts, as the original's did; if its reservation was cancelled meanwhile,
  // reservation ignores it and the saga refunds it: docs/guarantees.md.)
  causalBarrier: false,
  handlers: ({read, execute, settings, log, ownEvents}) => ({
    async approve({reservationNo, itemNo, amount}, request) {
      const command = {reservationNo, itemNo, amount}
      // fault injection for demos and tests (setting paymentDelayMs)
      if (settings.paymentDelayMs > 0) {
        log.info(`approving reservation ${command.reservationNo} after the configured delay of ${settings.paymentDelayMs} ms`)
        await sleep(settings.paymentDelayMs)
      }
      return execute(
        (state) => ({
          events: decidePayment({type: 'approve', ...command, limit: settings.paymentLimit}, state),
          correlationId: request.correlationId ?? newCorrelationId(),
          causationId: request.id,
        }),
        (state, events) => reply(latestPayment(state, command.reservationNo)!, events, ownEvents),
      )
    },
    async cancel({reservationNo}, request) {
      return execute(
        (state) => ({
          events: decidePayment({type: 'cancel', reservationNo}, state),
          correlationId: request.correlationId ?? newCorrelationId(),
          causationId: request.id,
        }),
        (state, events) => reply(latestPayment(state, reservationNo)!, events, ownEvents),
      )
    },
    list: async () => read((state) => ({_embedded: {payments: Object.values(state.payments)}})),
    show: async ({paymentNo}) => read((state) => findPayment(state, paymentNo)),
  }),
}

/**
 * The answer to reservation: the payment and the event that made it what it is. A repeated
 * command makes no event, but the caller may not have the earlier one yet (a saga step, such as
 * the refund payment made on RefundRequested, can come just before the call): it gets it here.
 */
function reply(payment: Payment, events: Envelope[], ownEvents: () => readonly Envelope[]): PaymentReply {
  if (events.length > 0) return {payment, events}
  const all = ownEvents()
  for (let i = all.length - 1; i >= 0; i--) {
    const e = all[i]
    if ((e.type === 'PaymentApproved' || e.type === 'PaymentCancelled') && e.data.paymentNo === payment.paymentNo) return {payment, events: [e]}
  }
  return {payment, events: []}
}
