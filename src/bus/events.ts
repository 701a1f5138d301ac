import {z} from 'zod'

import {eventSource, eventTypes, type EventType} from './eventTypes.js'

export {eventSource, eventTypes, type EventType}

/**
 * Every event of the market, with the schema of its data (docs/architecture.md). Consumers validate
 * incoming payloads here, at the boundary, and trust them from then on.
 */
const itemNo = z.number().int().positive()
const reservationNo = z.number().int().positive()
const paymentNo = z.number().int().positive()

export const eventData = {
  /** latitude and longitude: where it is (absent in the events of stores older than places) */
  ItemRegistered: z.object({
    itemNo,
    itemName: z.string(),
    itemPrice: z.number().int().positive(),
    latitude: z.number().min(-90).max(90).nullable().optional(),
    longitude: z.number().min(-180).max(180).nullable().optional(),
  }),
  ItemDeleted: z.object({itemNo, reservationNo: reservationNo.nullable()}),
  ItemRented: z.object({itemNo, reservationNo}),
  /** returnedOn: the day it came back, in the stack's time zone (absent in older stores) */
  ItemReturned: z.object({itemNo, reservationNo, returnedOn: z.string().optional()}),
  Reserved: z.object({
    reservationNo,
    itemNo,
    itemName: z.string(),
    itemPrice: z.number().int().positive(),
    customerName: z.string(),
    customerId: z.string(),
    /** the booking's first day and last day (null: until returned, the original's meaning); absent in older stores: from the start of time */
    rentFrom: z.string().optional(),
    rentTo: z.string().nullable().optional(),
  }),
  ReservationCancelled: z.object({reservationNo, itemNo, reason: z.enum(['customer', 'itemDeleted'])}),
  /** reservation let the rental begin: from now on its payment can no longer go back (docs/guarantees.md) */
  RentalStarted: z.object({reservationNo, itemNo}),
  /** reservation began a refund: from now on the rental cannot begin, and payment refunds (a saga step) */
  RefundRequested: z.object({reservationNo, itemNo, paymentNo}),
  PaymentApproved: z.object({paymentNo, reservationNo, itemNo, amount: z.number().int().positive()}),
  PaymentCancelled: z.object({paymentNo, reservationNo, itemNo, amount: z.number().int().positive()}),
} satisfies Record<EventType, z.ZodObject>

/** An event as a decider returns it: type and data, before it gets an envelope. */
export type DomainEvent = {[T in EventType]: {type: T; data: z.infer<(typeof eventData)[T]>}}[EventType]
export type EventOf<T extends EventType> = Extract<DomainEvent, {type: T}>

const envelopeBase = z.object({
  id: z.string().min(1),
  source: z.enum(['item', 'reservation', 'payment']),
  time: z.string(),
  correlationId: z.string().min(1),
  causationId: z.string().nullable(),
  seq: z.number().int().positive(),
})

/** The envelope every event travels in: ids for tracing, `seq` per source for the inbox. */
export type Envelope = z.infer<typeof envelopeBase> & DomainEvent

const envelopeSchema = z.discriminatedUnion(
  'type',
  eventTypes.map((type) => envelopeBase.extend({type: z.literal(type), data: eventData[type]})) as unknown as [
    z.ZodObject,
    z.ZodObject,
  ],
)

/** Parses an incoming event; returns an error message instead of throwing, for the poison counter. */
export function parseEnvelope(raw: unknown): {ok: true; envelope: Envelope} | {ok: false; problem: string} {
  const parsed = envelopeSchema.safeParse(raw)
  if (!parsed.success) return {ok: false, problem: z.prettifyError(parsed.error).split('\n').join(' ')}
  const envelope = parsed.data as Envelope
  if (eventSource[envelope.type] !== envelope.source) {
    return {ok: false, problem: `${envelope.type} cannot come from ${envelope.source}`}
  }
  return {ok: true, envelope}
}
