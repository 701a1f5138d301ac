import type {Market} from './market.js'
import type {Layout} from './render.js'
import type {Booking} from '../contract/records.js'
import {daysText, itemsTable, paymentsTable, reservationsTable} from './tables.js'

/**
 * The read commands: one request, one rendering, defined once here for their oclif commands.
 */
export interface ReadCommand<R = unknown> {
  /** the positional argument, a positive integer, if the command takes one */
  arg?: string
  /** said instead of an empty table: what there is none of, and how to make one */
  empty?: string
  ask(market: Market, arg: number): Promise<R>
  render(result: R, layout: Layout): string
}

const read = <R>(command: ReadCommand<R>) => command

/** An item's table, then its next bookings on one line, when it has some. */
const withBookings = (table: string, bookings: Booking[]) =>
  bookings.length === 0 ? table : `${table}\nbooked: ${bookings.map((b) => `${daysText({rentFrom: b.from, rentTo: b.to})} (reservation ${b.reservationNo})`).join(', ')}`
export const noItems = 'no items yet; register one with `gdmarket item register --name NAME --price N`'

export const readCommands = {
  'item list': read({ask: async (m) => (await m.item.list({}))._embedded.items, render: itemsTable, empty: noItems}),
  'item show': read({arg: 'itemNo', ask: (m, itemNo) => m.item.show({itemNo}), render: (item, layout) => withBookings(itemsTable([item], layout), item.bookings)}),
  'reservation list': read({
    ask: async (m) => (await m.reservation.list({}))._embedded.reservations,
    render: reservationsTable,
    empty: 'no reservations yet; reserve an item with `gdmarket reserve ITEMNO --customer NAME`',
  }),
  'reservation show': read({arg: 'reservationNo', ask: (m, reservationNo) => m.reservation.show({reservationNo}), render: (r, layout) => reservationsTable([r], layout)}),
  'payment list': read({ask: async (m) => (await m.payment.list({}))._embedded.payments, render: paymentsTable, empty: 'no payments yet; pay a reservation with `gdmarket pay RESNO`'}),
}

export type ReadCommandName = keyof typeof readCommands
