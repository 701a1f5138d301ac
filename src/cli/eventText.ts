import type {Envelope} from '../bus/events.js'
import type {TracedEvent} from '../events/order.js'
import {table} from './render.js'

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

const columns = (e: Envelope) => [e.time, e.source, e.type, shortId(e.correlationId), describeEvent(e)]
const eventHead = ['time', 'source', 'type', 'rental', 'what']

export const eventsTable = (events: Envelope[]) => table(eventHead, events.map(columns))

/** One line per event, for --follow: a table cannot grow once printed. */
export function eventLine(e: Envelope): string {
  const [time, source, type, rental, what] = columns(e)
  return `${time}  ${source.padEnd(11)}  ${type.padEnd(20)}  ${rental}  ${what}`
}

/**
 * A rental's events with the time since the first and what caused each: a command, or an event
 * of the same rental (a saga step, such as the refund after a forced delete).
 */
export function traceTable(events: TracedEvent[]): string {
  const byId = new Map(events.map((e) => [e.id, e]))
  return table(
    ['since first', 'source', 'type', 'caused by', 'what'],
    events.map((e) => {
      const cause = e.causationId === null ? undefined : byId.get(e.causationId)
      return [`+${e.sinceFirstMs} ms`, e.source, e.type, cause ? cause.type : 'a command', describeEvent(e)]
    }),
  )
}
