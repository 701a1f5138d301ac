import type {DomainEvent, Envelope} from '../../bus/events.js'
import {notFound, refused} from '../../errors.js'
import {latestPayment, type Payment, type PaymentState} from './payment.js'

export type PaymentCommand =
  | {type: 'approve'; reservationNo: number; itemNo: number; amount: number; limit: number}
  | {type: 'cancel'; reservationNo: number}

export function findPayment(state: PaymentState, paymentNo: number): Payment {
  const payment = state.payments[paymentNo]
  if (!payment) throw notFound('PAYMENT_NOT_FOUND', `payment ${paymentNo} does not exist; list the payments`, {command: 'payment.list'})
  return payment
}

export function decidePayment(command: PaymentCommand, state: PaymentState): DomainEvent[] {
  switch (command.type) {
    case 'approve': {
      // idempotent on reservationNo: a retry after a timeout gets the same payment, never a second charge
      if (latestPayment(state, command.reservationNo)?.paymentStatus === 'Paid') return []
      if (state.cancelledReservations[command.reservationNo]) {
        // an approve that arrives after its reservation was cancelled (e.g. a slow payment) must not charge
        throw refused('RESERVATION_CANCELLED', `reservation ${command.reservationNo} is cancelled; nothing to pay`)
      }
      if (command.amount > command.limit) {
        throw refused(
          'DECLINED',
          `payment declined: ${command.amount} is above the limit of ${command.limit} (setting paymentLimit)`,
        )
      }
      const {reservationNo, itemNo, amount} = command
      return [{type: 'PaymentApproved', data: {paymentNo: state.lastPaymentNo + 1, reservationNo, itemNo, amount}}]
    }
    case 'cancel': {
      const payment = latestPayment(state, command.reservationNo)
      if (!payment) {
        throw notFound('PAYMENT_NOT_FOUND', `reservation ${command.reservationNo} has no payment`)
      }
      if (payment.paymentStatus === 'Cancelled') return [] // idempotent refund
      const {paymentNo, reservationNo, itemNo, amount} = payment
      return [{type: 'PaymentCancelled', data: {paymentNo, reservationNo, itemNo, amount}}]
    }
    default: {
      const unhandled: never = command
      return unhandled
    }
  }
}

/**
 * Compensation: a cancelled reservation (by its renter or by a forced item delete) is refunded,
 * and so is a payment whose refund reservation began (RefundRequested): a refund that began always
 * completes, also when its synchronous call timed out.
 */
export function reactPayment(state: PaymentState, event: Envelope): DomainEvent[] {
  if (event.type !== 'ReservationCancelled' && event.type !== 'RefundRequested') return []
  const payment =
    event.type === 'RefundRequested' ? state.payments[event.data.paymentNo] : latestPayment(state, event.data.reservationNo)
  if (payment?.paymentStatus !== 'Paid') return []
  const {paymentNo, reservationNo, itemNo, amount} = payment
  return [{type: 'PaymentCancelled', data: {paymentNo, reservationNo, itemNo, amount}}]
}
