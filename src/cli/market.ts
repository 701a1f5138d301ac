import type {PublicItem} from '../services/item/item.js'
import type {Payment} from '../services/payment/payment.js'
import type {PublicReservation} from '../services/reservation/reservation.js'
import type {ViewRow} from '../services/view/itemView.js'

/** One request to a daemon of the running stack (GdCommand.request): its result, or a GdError. */
export type Request = (target: string, command: string, body?: unknown) => Promise<unknown>

export interface DeletedItem {
  itemNo: number
  deleted: true
  /** the reservation the saga cancels and refunds, when a reserved item was deleted with force */
  reservationNo: number | null
}

/**
 * Every market request the CLI sends, by name and body, in one place: the plain commands and the
 * wizard both go through it, so a wizard step is exactly the request of its plain command.
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
  /** `paymentTimeoutMs` overrides the reservation service's deadline for this one call */
  pay(reservationNo: number, paymentTimeoutMs?: number): Promise<Payment>
  cancelPayment(reservationNo: number, paymentTimeoutMs?: number): Promise<Payment>
  payments(): Promise<Payment[]>
}

export function marketOver(request: Request): Market {
  // the daemons validate every body (zod) and reply with these shapes (DESIGN §4)
  const call = <R>(target: string, command: string, body: unknown = {}) => request(target, command, body) as Promise<R>
  return {
    view: () => call('view', 'list'),
    items: () => call('item', 'list'),
    item: (itemNo) => call('item', 'show', {itemNo}),
    register: ({itemName, itemPrice}) => call('item', 'register', {itemName, itemPrice}),
    lend: (itemNo) => call('item', 'lend', {itemNo}),
    takeBack: (itemNo) => call('item', 'return', {itemNo}),
    deleteItem: (itemNo, force) => call('item', 'delete', {itemNo, force}),
    reserve: ({itemNo, customerName, customerId}) => call('reservation', 'reserve', {itemNo, customerName, customerId}),
    reservations: () => call('reservation', 'list'),
    reservation: (reservationNo) => call('reservation', 'show', {reservationNo}),
    cancelReservation: (reservationNo) => call('reservation', 'cancel', {reservationNo}),
    pay: (reservationNo, paymentTimeoutMs) => call('reservation', 'pay', {reservationNo, paymentTimeoutMs}),
    cancelPayment: (reservationNo, paymentTimeoutMs) => call('reservation', 'cancelPayment', {reservationNo, paymentTimeoutMs}),
    payments: () => call('payment', 'list'),
  }
}
