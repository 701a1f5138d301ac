import type {Day} from '../calendar.js'
import type {Booking} from '../contract/records.js'

/**
 * A booking's days as item, reservation and view each keep them, and what follows from them on a
 * given day (docs/commands.md#rentals-for-dates). Pure: the caller says which day it is.
 */
export interface Period {
  reservationNo: number
  from: Day
  /** null: until returned (a reservation without dates) */
  to: Day | null
}

/** The first day of a reservation made before dated bookings: it has held its item since then. */
export const EARLIEST: Day = '0000-01-01'

export const covers = (b: Period, day: Day): boolean => b.from <= day && (b.to === null || day <= b.to)

/** Who has the item on `day`: the booking it is lent out on (`lentOn`), else the one that covers the day. */
export function holderOf<B extends Period>(bookings: readonly B[], lentOn: number | null | undefined, day: Day): B | undefined {
  if (lentOn != null) return bookings.find((b) => b.reservationNo === lentOn)
  return bookings.find((b) => covers(b, day))
}

/** The bookings from `day` on, as an item's record and a view row list them. */
export const bookingsFrom = (bookings: readonly Period[], day: Day): Booking[] =>
  bookings.filter((b) => b.to === null || b.to >= day).map(({reservationNo, from, to}) => ({reservationNo, from, to}))
