import {z} from 'zod'

import {claim, day, flag, paymentStatus, rentalStatus, reservationStatus, text, wholeNumber} from './fields.js'
import {collectionOf, reservation, reservationWithPayment} from './records.js'
import {command} from './command.js'
import {envelopes} from './envelopes.js'
import {routes} from './routes.js'

/** what a change of a reservation may say of it as it leaves it */
const reservationClaims = {
  itemNo: claim(wholeNumber),
  itemName: claim(text),
  itemPrice: claim(wholeNumber),
  customerName: claim(text),
  customerId: claim(text),
  rentalStatus: claim(rentalStatus),
}

/** how long to wait for payment this once (the CLI's --payment-timeout-ms), 100 ms to 60 s: the breaker is everyone's */
const paymentTimeoutMs = wholeNumber.pipe(z.number().min(100, {error: 'must be at least 100 (ms)'}).max(60_000, {error: 'must be at most 60000 (ms)'})).optional()

/** the answer to the item service's questions: the reservation, and the events its decision made */
const decision = z.object({reservation, events: envelopes})

/** The reservation service's commands: a renter's reservations and their payment, and what it decides for item. */
export const reservationCommands = {
  reserve: command({
    service: 'reservation',
    summary: 'Reserve an item for a renter (works while the item service is down)',
    input: z.strictObject({
      itemNo: wholeNumber,
      customerName: text,
      /** the renter's id; the CLI's default is the name */
      customerId: text.optional(),
      /** a booking for dates: its first and last day (YYYY-MM-DD, both included), both or neither; without: from today until returned */
      rentFrom: day.optional(),
      rentTo: day.optional(),
      itemName: claim(text),
      itemPrice: claim(wholeNumber),
      reservationStatus: claim(reservationStatus),
      paymentStatus: claim(paymentStatus),
      rentalStatus: claim(rentalStatus),
    }),
    output: reservation,
    refusals: ['ITEM_NOT_FOUND', 'NOT_RENTABLE'],
    http: routes.reservation.reserve,
  }),
  list: command({
    service: 'reservation',
    summary: 'Every reservation; overdue=true: the items still out after their last day',
    input: z.strictObject({overdue: flag.optional()}),
    output: collectionOf('reservations', reservation),
    refusals: [],
    http: routes.reservation.list,
  }),
  show: command({
    service: 'reservation',
    summary: 'One reservation',
    input: z.strictObject({reservationNo: wholeNumber}),
    output: reservation,
    refusals: ['RESERVATION_NOT_FOUND'],
    http: routes.reservation.show,
  }),
  pay: command({
    service: 'reservation',
    summary: 'Pay (paymentStatus=Paid); paying twice answers with the payment made, never a second charge',
    input: z.strictObject({reservationNo: wholeNumber, paymentTimeoutMs, reservationStatus: claim(reservationStatus), ...reservationClaims}),
    output: reservationWithPayment,
    refusals: ['RESERVATION_NOT_FOUND', 'ALREADY_CANCELLED', 'ALREADY_COMPLETED', 'ALREADY_LENT', 'REFUND_PENDING', 'DECLINED', 'RESERVATION_CANCELLED', 'PAYMENT_TIMEOUT', 'CIRCUIT_OPEN'],
    http: routes.reservation.pay,
  }),
  cancelPayment: command({
    service: 'reservation',
    summary: 'Cancel the payment (paymentStatus=NotPaid): refunded, the reservation stays',
    input: z.strictObject({reservationNo: wholeNumber, paymentTimeoutMs, reservationStatus: claim(reservationStatus), ...reservationClaims}),
    output: reservationWithPayment,
    refusals: ['RESERVATION_NOT_FOUND', 'ALREADY_CANCELLED', 'ALREADY_COMPLETED', 'ALREADY_LENT', 'NOT_PAID', 'PAYMENT_NOT_FOUND', 'PAYMENT_TIMEOUT', 'CIRCUIT_OPEN'],
    http: routes.reservation.cancelPayment,
  }),
  cancel: command({
    service: 'reservation',
    summary: 'Cancel the reservation (reservationStatus=Cancelled, or DELETE); a paid one is refunded first',
    input: z.strictObject({reservationNo: wholeNumber, paymentStatus: claim(paymentStatus), ...reservationClaims}),
    output: reservation,
    refusals: ['RESERVATION_NOT_FOUND', 'ALREADY_CANCELLED', 'ALREADY_COMPLETED', 'ALREADY_LENT', 'PAYMENT_TIMEOUT', 'CIRCUIT_OPEN'],
    http: routes.reservation.cancel,
  }),
  /** asked by the item service before it lends: may the rental begin? */
  startRental: command({
    service: 'reservation',
    summary: 'Let the rental of a paid reservation begin (RentalStarted)',
    input: z.strictObject({reservationNo: wholeNumber, itemNo: wholeNumber}),
    output: decision,
    refusals: ['RESERVATION_NOT_FOUND', 'ALREADY_CANCELLED', 'ALREADY_COMPLETED', 'NOT_RESERVED', 'NOT_PAID', 'REFUND_PENDING', 'TOO_EARLY'],
  }),
  /** asked by the item service before it deletes a reserved item: may its reservation end? */
  cancelForDelete: command({
    service: 'reservation',
    summary: 'End the reservation of an item being deleted, unless its rental began',
    input: z.strictObject({reservationNo: wholeNumber, itemNo: wholeNumber}),
    output: decision,
    refusals: ['RESERVATION_NOT_FOUND', 'ALREADY_LENT'],
  }),
}
