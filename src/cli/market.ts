import type {PublicItem} from '../services/item/item.js'
import type {Method} from './gatewayClient.js'
import type {Payment} from '../services/payment/payment.js'
import type {PublicReservation} from '../services/reservation/reservation.js'
import type {ViewRow} from '../services/view/itemView.js'

/** One HTTP request to the gateway (GatewayClient.call): its JSON answer, or a GdError. */
export type Call = (method: Method, path: string, body?: unknown) => Promise<unknown>

export interface DeletedItem {
  itemNo: number
  deleted: true
  /** the reservation the saga cancels and refunds, when a reserved item was deleted with force */
  reservationNo: number | null
}

/**
 * Every market request the CLI sends, by name, in one place: the plain commands, the wizard and
 * `gdmarket load` all go through it, so a wizard step is exactly the request of its plain command.
 */
export interface Market {
  view(): Promise<ViewRow[]>
  items(): Promise<PublicItem[]>
  item(itemNo: number): Promise<PublicItem>
  register(item: {itemName: string; itemPrice: number}): Promise<PublicItem>
  lend(itemNo: number): Promise<PublicItem>
  takeBack(itemNo: number): Promise<PublicItem>
  deleteItem(itemNo: number, force?: boolean): Promise<DeletedItem>
  reserve(reservation: {itemNo: number; customerName: string; customerId: string}): Promise<PublicReservation>
  reservations(): Promise<PublicReservation[]>
  reservation(reservationNo: number): Promise<PublicReservation>
  cancelReservation(reservationNo: number): Promise<PublicReservation>
  /**
   * `paymentTimeoutMs` overrides the reservation service's deadline for this one call. A paid
   * reservation answers with its payment, marked `alreadyPaid`: nothing was charged again.
   */
  pay(reservationNo: number, paymentTimeoutMs?: number): Promise<Payment & {alreadyPaid?: true}>
  cancelPayment(reservationNo: number, paymentTimeoutMs?: number): Promise<Payment>
  payments(): Promise<Payment[]>
}

/** A collection as the gateway gives it (Spring Data REST's shape): the list inside. */
const listOf =
  <T>(name: string) =>
  (answer: unknown): T[] =>
    (answer as {_embedded: Record<string, T[]>})._embedded[name]

export function restMarket(call: Call): Market {
  // the gateway checks every body and answers with these shapes (docs/http-api.md)
  const ask = <R>(method: Method, path: string, body?: unknown) => call(method, path, body) as Promise<R>
  const paymentOf = (answer: {payment: Payment}) => answer.payment
  return {
    view: () => ask('GET', '/itemInfoes').then(listOf<ViewRow>('itemInfoes')),
    items: () => ask('GET', '/items').then(listOf<PublicItem>('items')),
    item: (itemNo) => ask('GET', `/items/${itemNo}`),
    register: ({itemName, itemPrice}) => ask('POST', '/items', {itemName, itemPrice}),
    lend: (itemNo) => ask('PATCH', `/items/${itemNo}`, {rentalStatus: 'Renting'}),
    takeBack: (itemNo) => ask('PATCH', `/items/${itemNo}`, {rentalStatus: 'Returned'}),
    deleteItem: (itemNo, force) => ask('DELETE', `/items/${itemNo}${force ? '?force=true' : ''}`),
    reserve: ({itemNo, customerName, customerId}) => ask('POST', '/reservations', {itemNo, customerName, customerId}),
    reservations: () => ask('GET', '/reservations').then(listOf<PublicReservation>('reservations')),
    reservation: (reservationNo) => ask('GET', `/reservations/${reservationNo}`),
    cancelReservation: (reservationNo) => ask('PATCH', `/reservations/${reservationNo}`, {reservationStatus: 'Cancelled'}),
    pay: (reservationNo, paymentTimeoutMs) =>
      ask<{payment: Payment}>('PATCH', `/reservations/${reservationNo}`, {paymentStatus: 'Paid', paymentTimeoutMs}).then(paymentOf),
    cancelPayment: (reservationNo, paymentTimeoutMs) =>
      ask<{payment: Payment}>('PATCH', `/reservations/${reservationNo}`, {paymentStatus: 'NotPaid', paymentTimeoutMs}).then(paymentOf),
    payments: () => ask('GET', '/payments').then(listOf<Payment>('payments')),
  }
}
