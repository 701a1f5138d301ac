import type {Envelope} from '../../bus/events.js'
import {daysIncluded, type Day} from '../../calendar.js'
import type {Mutable, ReadView} from '../state.js'
import type * as Public from '../../contract/records.js'

/** Reservation lifecycle (docs/architecture.md), plus the reservation service's own copy of items. */
export type ReservationStatus = 'Reserved' | 'Cancelled' | 'Completed'
export type PaymentStatus = 'NotPaid' | 'Paid'
export type RentalStatus = 'NotRenting' | 'Renting' | 'Returned'

export interface Reservation {
  reservationNo: number
  itemNo: number
  itemName: string
  itemPrice: number
  customerName: string
  customerId: string
  reservationStatus: ReservationStatus
  paymentStatus: PaymentStatus
  rentalStatus: RentalStatus
  correlationId: string
  paymentNo: number | null
  /** a refund of `paymentNo` has begun (RefundRequested) and payment has not confirmed it yet: no lending meanwhile */
  refundPending?: boolean
  /** when the rental began (RentalStarted), for the refusals that name it */
  rentedSince?: string
  /** its booked days (rentTo null: until returned); absent in reservations made before dated bookings */
  rentFrom?: Day | null
  rentTo?: Day | null
  /** it came back after its last day */
  returnedLate?: boolean
}

/** What reservation knows of an item, from item events: enough to reserve while item is down. */
export interface KnownItem {
  itemNo: number
  itemName: string
  itemPrice: number
  /** before dated bookings: its one live reservation; now `bookings` (src/services/reservation/bookings.ts) */
  activeReservationNo?: number | null
  /** its live reservations, by number: reserved, not yet returned or cancelled */
  bookings?: number[]
}

export interface ReservationState {
  reservations: Record<string, Reservation>
  items: Record<string, KnownItem>
  lastReservationNo: number
}

export const initialReservationState = (): ReservationState => ({reservations: {}, items: {}, lastReservationNo: 0})

/** The live reservations of an item (reserved, not yet returned or cancelled), by number. */
export const bookingsOf = (item: ReadView<KnownItem>): readonly number[] =>
  item.bookings ?? (item.activeReservationNo != null ? [item.activeReservationNo] : [])

/** What a reservation costs: the price per day × its days; without dates, the price once (as the original). */
export const amountOf = (r: {itemPrice: number; rentFrom?: Day | null; rentTo?: Day | null}): number =>
  r.rentFrom && r.rentTo ? r.itemPrice * daysIncluded(r.rentFrom, r.rentTo) : r.itemPrice

/**
 * Applies one event. The maps of the state are updated in place (entries are replaced, never
 * edited): the state belongs to its store, and copying maps of 100k entries for every event made
 * each event cost O(size).
 */
export function evolveReservation(state: Mutable<ReservationState>, event: Envelope): Mutable<ReservationState> {
  const withReservation = (reservationNo: number, change: (r: Reservation) => Reservation): ReservationState => {
    const r = state.reservations[reservationNo]
    if (r) state.reservations[reservationNo] = change(r)
    return state
  }
  const releaseItem = (s: ReservationState, itemNo: number, reservationNo: number): ReservationState => {
    const item = s.items[itemNo]
    if (item) s.items[itemNo] = {...item, activeReservationNo: null, bookings: bookingsOf(item).filter((no) => no !== reservationNo)}
    return s
  }

  switch (event.type) {
    case 'ItemRegistered': {
      const {itemNo, itemName, itemPrice} = event.data
      state.items[itemNo] = {itemNo, itemName, itemPrice, bookings: []}
      return state
    }
    case 'ItemDeleted':
      delete state.items[event.data.itemNo]
      return state
    case 'RentalStarted':
    case 'ItemRented':
      return withReservation(event.data.reservationNo, (r) =>
        r.rentalStatus === 'Renting' ? r : {...r, rentalStatus: 'Renting', rentedSince: event.time},
      )
    case 'RefundRequested':
      return withReservation(event.data.reservationNo, (r) => (r.paymentNo === event.data.paymentNo ? {...r, refundPending: true} : r))
    case 'ItemReturned': {
      const {returnedOn} = event.data
      const next = withReservation(event.data.reservationNo, (r) => ({
        ...r,
        rentalStatus: 'Returned',
        reservationStatus: 'Completed',
        returnedLate: returnedOn !== undefined && r.rentTo != null && returnedOn > r.rentTo,
      }))
      return releaseItem(next, event.data.itemNo, event.data.reservationNo)
    }
    case 'Reserved': {
      const d = event.data
      const reservation: Reservation = {
        ...d,
        reservationStatus: 'Reserved',
        paymentStatus: 'NotPaid',
        rentalStatus: 'NotRenting',
        correlationId: event.correlationId,
        paymentNo: null,
      }
      const item = state.items[d.itemNo]
      state.reservations[d.reservationNo] = reservation
      if (item) state.items[d.itemNo] = {...item, activeReservationNo: null, bookings: [...bookingsOf(item), d.reservationNo]}
      state.lastReservationNo = Math.max(state.lastReservationNo, d.reservationNo)
      return state
    }
    case 'ReservationCancelled': {
      const next = withReservation(event.data.reservationNo, (r) => ({...r, reservationStatus: 'Cancelled'}))
      return releaseItem(next, event.data.itemNo, event.data.reservationNo)
    }
    case 'PaymentApproved':
      // a late approval for a reservation that has ended does not make it Paid: payment refunds it (saga)
      return withReservation(event.data.reservationNo, (r) =>
        r.reservationStatus === 'Reserved' ? {...r, paymentStatus: 'Paid', paymentNo: event.data.paymentNo} : r,
      )
    case 'PaymentCancelled':
      return withReservation(event.data.reservationNo, (r) =>
        r.paymentNo === event.data.paymentNo ? {...r, paymentStatus: 'NotPaid', paymentNo: null, refundPending: false} : r,
      )
    default: {
      const unhandled: never = event
      return unhandled
    }
  }
}

/** The reservation as commands print it (docs/commands.md). */
export const publicReservation = ({paymentNo: _internal, refundPending: _pending, rentedSince: _since, rentFrom = null, rentTo = null, returnedLate = false, ...r}: Reservation): Public.Reservation => ({
  ...r,
  rentFrom,
  rentTo,
  amount: amountOf({itemPrice: r.itemPrice, rentFrom, rentTo}),
  returnedLate,
})
