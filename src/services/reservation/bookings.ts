import {overlaps, type Day} from '../../calendar.js'
import {EARLIEST} from '../bookingDays.js'
import type {ReadView} from '../state.js'
import {bookingsOf, type KnownItem, type Reservation, type ReservationState} from './reservation.js'

/** A booking's days: a reservation without dates runs until returned, and so does one lent past its last day. */
export const periodOf = (r: ReadView<Reservation>): {from: Day; to: Day | null} => ({
  from: r.rentFrom ?? EARLIEST,
  to: r.rentalStatus === 'Renting' ? null : (r.rentTo ?? null),
})

/** The live booking of the item that shares a day with `period`, if one does: bookings of one item never overlap. */
export function clashWith(state: ReadView<ReservationState>, item: ReadView<KnownItem>, period: {from: Day; to: Day | null}): ReadView<Reservation> | undefined {
  return bookingsOf(item)
    .map((no) => state.reservations[no])
    .find((r) => r !== undefined && r.reservationStatus === 'Reserved' && overlaps(periodOf(r), period))
}

/** Still out after its last day. */
export const isOverdue = (r: ReadView<Reservation>, today: Day): boolean => r.rentalStatus === 'Renting' && r.rentTo != null && r.rentTo < today

/** How a clashing booking's days read in a refusal: `2026-12-10 to 2026-12-12`, `from 2026-12-01 until returned`. */
export function daysOf(r: ReadView<Reservation>): string {
  const {from, to} = periodOf(r)
  if (to === null) return from === EARLIEST ? 'until returned' : `from ${from} until returned`
  return from === to ? `on ${from}` : `${from} to ${to}`
}
