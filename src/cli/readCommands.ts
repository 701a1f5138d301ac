import type {Market} from './market.js'
import {itemsTable, paymentsTable, reservationsTable, viewTable} from './tables.js'

/**
 * The read commands: one request, one rendering, defined once here for their oclif commands.
 */
export interface ReadCommand<R = unknown> {
  /** the positional argument, a positive integer, if the command takes one */
  arg?: string
  ask(market: Market, arg: number): Promise<R>
  render(result: R): string
}

const read = <R>(command: ReadCommand<R>) => command

export const readCommands = {
  view: read({ask: (m) => m.view(), render: viewTable}),
  'item list': read({ask: (m) => m.items(), render: itemsTable}),
  'item show': read({arg: 'itemNo', ask: (m, itemNo) => m.item(itemNo), render: (item) => itemsTable([item])}),
  'reservation list': read({ask: (m) => m.reservations(), render: reservationsTable}),
  'reservation show': read({arg: 'reservationNo', ask: (m, no) => m.reservation(no), render: (r) => reservationsTable([r])}),
  'payment list': read({ask: (m) => m.payments(), render: paymentsTable}),
}

export type ReadCommandName = keyof typeof readCommands
