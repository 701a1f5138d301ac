import {z} from 'zod'

import {itemStatus, no, paymentStatus, rentalStatus, reservationStatus} from './fields.js'

/** a booked period of an item: its first and last day, both included (null: until returned) */
export const booking = z.object({reservationNo: no, from: z.string(), to: z.string().nullable()})
export type Booking = z.infer<typeof booking>

/**
 * The market's records as every answer carries them (docs/commands.md, the --json shapes): one
 * schema each, which types the services' handlers, the CLI's client and /openapi.json alike.
 */
export const item = z.object({
  itemNo: no,
  itemName: z.string(),
  itemPrice: no,
  itemStatus,
  rentalStatus,
  reservationNo: no.nullable(),
  /** where it is (WGS84 decimal degrees); null: it has no place, and is found only without `near` */
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  /** its bookings from today on, first first; the statuses above are today's */
  bookings: z.array(booking),
})
export type Item = z.infer<typeof item>

export const deletedItem = item.extend({
  deleted: z.literal(true),
  /** the reservation the saga cancels (and refunds), when a reserved item was deleted with force */
  reservationNo: no.nullable(),
})
export type DeletedItem = z.infer<typeof deletedItem>

export const reservation = z.object({
  reservationNo: no,
  itemNo: no,
  itemName: z.string(),
  itemPrice: no,
  customerName: z.string(),
  customerId: z.string(),
  reservationStatus,
  paymentStatus,
  rentalStatus,
  correlationId: z.string(),
  /** the booked days, both included; rentTo null: until the item is returned (a reservation without dates); rentFrom null: made before dated bookings */
  rentFrom: z.string().nullable(),
  rentTo: z.string().nullable(),
  /** what it costs: the price per day × its days, or the price once without dates */
  amount: no,
  /** returned after its last day */
  returnedLate: z.boolean(),
})
export type Reservation = z.infer<typeof reservation>

export const payment = z.object({
  paymentNo: no,
  reservationNo: no,
  itemNo: no,
  amount: no,
  paymentStatus: z.enum(['Paid', 'Cancelled']),
})
export type Payment = z.infer<typeof payment>

/** a reservation after a payment change, with that payment; `alreadyPaid`: paid before, nothing was charged again */
export const reservationWithPayment = reservation.extend({
  payment: payment.extend({alreadyPaid: z.literal(true).optional()}),
})

/** a row of the combined view: the item, with its reservation's renter and payment */
export const viewRow = item.extend({
  customerName: z.string().nullable(),
  customerId: z.string().nullable(),
  paymentStatus: paymentStatus.nullable(),
})
export type ViewRow = z.infer<typeof viewRow>

/** `item calendar`: an item's booked periods, first first */
export const calendar = z.object({itemNo: no, itemName: z.string(), bookings: z.array(booking)})

/** a row a search found: with `near`, how far it is, in metres */
export const foundRow = viewRow.extend({distanceM: z.number().int().min(0).optional()})
export type FoundRow = z.infer<typeof foundRow>

/** Spring Data REST's collection, which the original's clients read: `{_embedded: {items: […]}}` */
export const collectionOf = <N extends string, T extends z.ZodType>(name: N, of: T) =>
  z.object({_embedded: z.object({[name]: z.array(of)} as Record<N, z.ZodArray<T>>)})
