import type {DomainEvent, Envelope} from '../../bus/events.js'
import {notFound, refused} from '../../errors.js'
import type {Reservation, ReservationState} from './reservation.js'

export type ReservationCommand =
  | {type: 'reserve'; itemNo: number; customerName: string; customerId: string}
  | {type: 'cancel'; reservationNo: number}

export function findReservation(state: ReservationState, reservationNo: number): Reservation {
  const r = state.reservations[reservationNo]
  if (!r) {
    throw notFound(
      'RESERVATION_NOT_FOUND',
      `reservation ${reservationNo} does not exist; list them with \`gdmarket reservation list\``,
    )
  }
  return r
}

/** A refusal says what to do: a reservation that ended cannot change; a new one can be made. */
const notActive = (r: Reservation) =>
  refused(
    r.reservationStatus === 'Cancelled' ? 'ALREADY_CANCELLED' : 'ALREADY_COMPLETED',
    `reservation ${r.reservationNo} is ${r.reservationStatus}; nothing more can happen to it (reserve item ${r.itemNo} again with \`gdmarket reserve ${r.itemNo} --customer NAME\`)`,
  )

export function decideReservation(command: ReservationCommand, state: ReservationState): DomainEvent[] {
  switch (command.type) {
    case 'reserve': {
      const item = state.items[command.itemNo]
      if (!item) {
        throw notFound('ITEM_NOT_FOUND', `item ${command.itemNo} does not exist; see \`gdmarket view\` for rentable items`)
      }
      if (item.activeReservationNo !== null) {
        throw refused(
          'NOT_RENTABLE',
          `item ${item.itemNo} is already reserved (reservation ${item.activeReservationNo}); pick a Rentable one from \`gdmarket view\``,
        )
      }
      const {itemNo, itemName, itemPrice} = item
      const {customerName, customerId} = command
      const reservationNo = state.lastReservationNo + 1
      return [{type: 'Reserved', data: {reservationNo, itemNo, itemName, itemPrice, customerName, customerId}}]
    }
    case 'cancel': {
      const r = findReservation(state, command.reservationNo)
      if (r.reservationStatus !== 'Reserved') throw notActive(r)
      if (r.rentalStatus !== 'NotRenting') {
        throw refused('ALREADY_LENT', `reservation ${r.reservationNo} is lent out; it can only be cancelled before lending`)
      }
      return [{type: 'ReservationCancelled', data: {reservationNo: r.reservationNo, itemNo: r.itemNo, reason: 'customer'}}]
    }
    default: {
      const unhandled: never = command
      return unhandled
    }
  }
}

/** pay: only an active reservation before lending; an already paid one is answered from its payment. */
export function checkPayable(state: ReservationState, reservationNo: number): Reservation {
  const r = findReservation(state, reservationNo)
  if (r.reservationStatus !== 'Reserved') throw notActive(r)
  if (r.rentalStatus !== 'NotRenting') throw refused('ALREADY_LENT', `reservation ${r.reservationNo} is already lent out; take it back with \`gdmarket return ${r.itemNo}\``)
  return r
}

/** cancel payment: only a paid reservation that is not lent. */
export function checkPaymentCancellable(state: ReservationState, reservationNo: number): Reservation {
  const r = findReservation(state, reservationNo)
  if (r.reservationStatus !== 'Reserved') throw notActive(r)
  if (r.paymentStatus !== 'Paid') throw refused('NOT_PAID', `reservation ${r.reservationNo} is not paid, so there is no payment to cancel; pay with \`gdmarket pay ${r.reservationNo}\``)
  if (r.rentalStatus !== 'NotRenting') {
    throw refused('ALREADY_LENT', `reservation ${r.reservationNo} is lent out; its payment can no longer be cancelled`)
  }
  return r
}

/** Saga step: an item deleted with --force cancels its active reservation (payment then refunds). */
export function reactReservation(state: ReservationState, event: Envelope): DomainEvent[] {
  if (event.type !== 'ItemDeleted') return []
  const active = Object.values(state.reservations).find(
    (r) => r.itemNo === event.data.itemNo && r.reservationStatus === 'Reserved',
  )
  if (!active) return []
  return [
    {type: 'ReservationCancelled', data: {reservationNo: active.reservationNo, itemNo: active.itemNo, reason: 'itemDeleted'}},
  ]
}
