import type {Envelope} from '../bus/events.js'
import type {TracedEvent} from '../events/order.js'
import {cellText, columnsTable, cutToWidth, defaultLayout, timeOfDay, type Column, type Layout} from './render.js'

/** One event's data in words, for people; --json shows the data itself. */
export function describeEvent(e: Envelope): string {
  switch (e.type) {
    case 'ItemRegistered':
      return `item ${e.data.itemNo} "${e.data.itemName}", price ${e.data.itemPrice}`
    case 'ItemDeleted':
      return `item ${e.data.itemNo}${e.data.reservationNo === null ? '' : `, reservation ${e.data.reservationNo}`}`
    case 'ItemRented':
      return `item ${e.data.itemNo} lent for reservation ${e.data.reservationNo}`
    case 'ItemReturned':
      return `item ${e.data.itemNo} back from reservation ${e.data.reservationNo}`
    case 'Reserved':
      return `reservation ${e.data.reservationNo}: item ${e.data.itemNo} "${e.data.itemName}" for ${e.data.customerName}${e.data.customerId === e.data.customerName ? '' : ` (${e.data.customerId})`}`
    case 'ReservationCancelled':
      return `reservation ${e.data.reservationNo} of item ${e.data.itemNo}${e.data.reason === 'itemDeleted' ? ', because the item was deleted' : ''}`
    case 'RentalStarted':
      return `reservation ${e.data.reservationNo} may take item ${e.data.itemNo} out: its payment is now kept`
    case 'RefundRequested':
      return `reservation ${e.data.reservationNo} asks for payment ${e.data.paymentNo} back: item ${e.data.itemNo} cannot be lent meanwhile`
    case 'PaymentApproved':
      return `payment ${e.data.paymentNo} of ${e.data.amount} for reservation ${e.data.reservationNo}`
    case 'PaymentCancelled':
      return `payment ${e.data.paymentNo} of ${e.data.amount} refunded (reservation ${e.data.reservationNo})`
    default: {
      const unknown: never = e
      return JSON.stringify((unknown as Envelope).data)
    }
  }
}

/** The end of a correlation id: enough to tell rentals apart in a table (UUIDv7 begins with the time). */
export const shortId = (id: string) => `…${id.slice(-8)}`

const eventColumns: Column<Envelope>[] = [
  {head: 'time', value: (e) => e.time, narrow: (e) => timeOfDay(e.time)},
  {head: 'source', value: (e) => e.source, drop: 2}, // the type says it too
  {head: 'type', value: (e) => e.type},
  {head: 'rental', value: (e) => e.correlationId, narrow: (e) => shortId(e.correlationId), drop: 1},
  {head: 'what', value: describeEvent, shrink: 30},
]

export const eventsTable = (events: Envelope[], layout?: Layout) => columnsTable(eventColumns, events, layout)

/** One line per event, for --follow: a table cannot grow once printed. Narrow as the table is, unless --wide. */
export function eventLine(e: Envelope, layout: Layout = defaultLayout()): string {
  const rental = shortId(e.correlationId)
  if (layout.wide) return `${e.time}  ${e.source.padEnd(11)}  ${e.type.padEnd(20)}  ${e.correlationId}  ${cellText(describeEvent(e))}`
  return cutToWidth(`${timeOfDay(e.time)}  ${e.type.padEnd(20)}  ${rental}  ${cellText(describeEvent(e))}`, layout.width)
}

/**
 * A rental's events with the time since the first and what caused each: a command, or an event
 * of the same rental (a saga step, such as the refund after a forced delete).
 */
export function traceTable(events: TracedEvent[], layout?: Layout): string {
  const byId = new Map(events.map((e) => [e.id, e]))
  const columns: Column<TracedEvent>[] = [
    {head: 'since', value: (e) => `+${e.sinceFirstMs} ms`},
    {head: 'source', value: (e) => e.source, wideOnly: true}, // the type says it
    {head: 'type', value: (e) => e.type},
    {head: 'caused by', value: (e) => (e.causationId === null ? undefined : byId.get(e.causationId))?.type ?? 'a command'},
    {head: 'what', value: describeEvent, shrink: 20},
  ]
  return columnsTable(columns, events, layout)
}
