import {away} from '../cli/render.js'
import {daysText} from '../cli/tables.js'
import type {Booking, FoundRow, Reservation, ViewRow} from '../contract/records.js'

/** How items and reservations read in the wizard's lists and messages: what a person decides by. */
export const itemLabel = (item: {itemNo: number; itemName: string; itemPrice: number; distanceM?: number}) =>
  `${item.itemName} — ${item.itemPrice} (item ${item.itemNo})${item.distanceM === undefined ? '' : ` · ${away(item.distanceM)} away`}`

/** An item a renter may rent: with its next bookings, so the free days around them show (`Drill — 8 (item 3) · 250 m away · booked 2026-12-20–22`). */
export const offerLabel = (row: FoundRow) => itemLabel(row) + bookingsNote(row.bookings)

/** How many of an item's next bookings a list line shows: enough to see the free days around them, short enough for one line. */
const SHOWN_BOOKINGS = 2

/** ` · booked 2026-12-10–12, 2026-12-20 → (+1 more)`: the days an item is not free, as the CLI writes days; nothing when every day is free. */
export function bookingsNote(bookings: Booking[]): string {
  if (bookings.length === 0) return ''
  const shown = bookings.slice(0, SHOWN_BOOKINGS).map(periodText).join(', ')
  const more = bookings.length - SHOWN_BOOKINGS
  return ` · booked ${shown}${more > 0 ? ` (+${more} more)` : ''}`
}

/** A period's days as the CLI's tables write them: `2026-12-10–12`, `2026-12-10 → 2027-01-02`, `2026-12-06 →` (until returned). */
export const periodText = ({from, to}: {from: string; to: string | null}): string => daysText({rentFrom: from, rentTo: to}) ?? ''

/** "Young", or "Young (young01)" when the customer id says more than the name. */
export const customer = (name: string | null, id: string | null) => (!id || id === name ? `${name ?? '?'}` : `${name ?? '?'} (${id})`)

export const holder = (row: ViewRow) => customer(row.customerName, row.customerId)

/** A reservation's days when it was booked for dates (` 2026-12-10–12`); nothing for one until returned. */
export const datesOf = (r: Reservation): string => (r.rentFrom !== null && r.rentTo !== null ? ` ${periodText({from: r.rentFrom, to: r.rentTo})}` : '')

/** `reservation 3: Camera 2026-12-10–12 — 300, not paid`: the amount is the reservation's own (price × days when dated). */
export function reservationLabel(r: Reservation): string {
  const state = r.rentalStatus === 'Renting' ? 'lent out to you' : r.paymentStatus === 'Paid' ? 'paid' : 'not paid'
  return `reservation ${r.reservationNo}: ${r.itemName}${datesOf(r)} — ${r.amount}, ${state}`
}

export const howToPay = (reservationNo: number) =>
  `pay later under Renter → My reservations, or with \`gdmarket pay ${reservationNo}\``

export const howToCancel = (reservationNo: number) =>
  `To cancel: Renter → My reservations → reservation ${reservationNo}, or \`gdmarket reservation cancel ${reservationNo}\` ` +
  '(a paid reservation is refunded first).'
