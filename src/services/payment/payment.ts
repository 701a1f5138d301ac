import type {Envelope} from '../../bus/events.js'
import type {Payment} from '../../contract/records.js'

export type {Payment}

/** Payment lifecycle (docs/architecture.md): at most one live payment per reservation; its record is what clients get. */
export interface PaymentState {
  payments: Record<string, Payment>
  /** reservationNo → its newest payment, live or cancelled: the idempotency key */
  latestByReservation: Record<string, number>
  lastPaymentNo: number
  /** reservations known to be cancelled: a late approve for one of them is refused */
  cancelledReservations: Record<string, true>
}

export const initialPaymentState = (): PaymentState => ({
  payments: {},
  latestByReservation: {},
  lastPaymentNo: 0,
  cancelledReservations: {},
})

/**
 * Applies one event. The maps of the state are updated in place (entries are replaced, never
 * edited): the state belongs to its store, and copying big maps for every event costs O(size).
 */
export function evolvePayment(state: PaymentState, event: Envelope): PaymentState {
  switch (event.type) {
    case 'PaymentApproved': {
      const {paymentNo, reservationNo} = event.data
      state.payments[paymentNo] = {...event.data, paymentStatus: 'Paid'}
      state.latestByReservation[reservationNo] = paymentNo
      state.lastPaymentNo = Math.max(state.lastPaymentNo, paymentNo)
      return state
    }
    case 'PaymentCancelled': {
      const payment = state.payments[event.data.paymentNo]
      if (payment) state.payments[payment.paymentNo] = {...payment, paymentStatus: 'Cancelled'}
      return state
    }
    case 'ReservationCancelled':
      state.cancelledReservations ??= {}
      state.cancelledReservations[event.data.reservationNo] = true
      return state
    default:
      return state
  }
}

export const latestPayment = (state: PaymentState, reservationNo: number): Payment | undefined => {
  const paymentNo = state.latestByReservation[reservationNo]
  return paymentNo === undefined ? undefined : state.payments[paymentNo]
}
