import {away} from '../cli/render.js'
import type {Reservation} from '../contract/records.js'
import type {ViewRow} from '../contract/records.js'

/** How items and reservations read in the wizard's lists and messages: what a person decides by. */
export const itemLabel = (item: {itemNo: number; itemName: string; itemPrice: number; distanceM?: number}) =>
  `${item.itemName} — ${item.itemPrice} (item ${item.itemNo})${item.distanceM === undefined ? '' : ` · ${away(item.distanceM)} away`}`

/** "Young", or "Young (young01)" when the customer id says more than the name. */
export const customer = (name: string | null, id: string | null) => (!id || id === name ? `${name ?? '?'}` : `${name ?? '?'} (${id})`)

export const holder = (row: ViewRow) => customer(row.customerName, row.customerId)

export function reservationLabel(r: Reservation): string {
  const state = r.rentalStatus === 'Renting' ? 'lent out to you' : r.paymentStatus === 'Paid' ? 'paid' : 'not paid'
  return `reservation ${r.reservationNo}: ${r.itemName} — ${r.itemPrice}, ${state}`
}

export const howToPay = (reservationNo: number) =>
  `pay later under Renter → My reservations, or with \`gdmarket pay ${reservationNo}\``

export const howToCancel = (reservationNo: number) =>
  `To cancel: Renter → My reservations → reservation ${reservationNo}, or \`gdmarket reservation cancel ${reservationNo}\` ` +
  '(a paid reservation is refunded first).'
