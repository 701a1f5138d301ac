import type {DomainEvent, Envelope} from '../../bus/events.js'
import {notFound, refused, unavailable} from '../../errors.js'
import type {NextStep} from '../../nextStep.js'
import type {Reservation, ReservationState} from './reservation.js'

/**
 * The reservation service's commands. Besides its own (reserve, cancel) it decides the two
 * things that item and payment could otherwise race on: whether a rental may begin, and whether
 * money may go back (docs/guarantees.md#one-owner-per-decision).
 */
export type ReservationCommand =
  | {type: 'reserve'; itemNo: number; customerName: string; customerId: string}
  | {type: 'cancel'; reservationNo: number}
  | {type: 'startRental'; reservationNo: number; itemNo: number}
  | {type: 'requestRefund'; reservationNo: number}
  /** the item service asks before it deletes a reserved item (--force): the reservation ends, unless its rental began */
  | {type: 'cancelForDelete'; reservationNo: number; itemNo: number}

export function findReservation(state: ReservationState, reservationNo: number): Reservation {
  const r = state.reservations[reservationNo]
  if (!r) {
    throw notFound('RESERVATION_NOT_FOUND', `reservation ${reservationNo} does not exist; list the reservations`, {command: 'reservation.list'})
  }
  return r
}

/** A refusal says what to do: a reservation that ended cannot change; a new one can be made. */
const notActive = (r: Reservation) =>
  refused(
    r.reservationStatus === 'Cancelled' ? 'ALREADY_CANCELLED' : 'ALREADY_COMPLETED',
    `reservation ${r.reservationNo} is ${r.reservationStatus}; nothing more can happen to it, but item ${r.itemNo} can be reserved again`,
    {command: 'reservation.reserve', itemNo: r.itemNo},
  )

const since = (r: Reservation) => (r.rentedSince ? ` since ${r.rentedSince.slice(0, 16).replace('T', ' ')} UTC` : '')

const alreadyLent = (r: Reservation, what: string, next?: NextStep) =>
  refused('ALREADY_LENT', `reservation ${r.reservationNo} is lent out${since(r)}; ${what}`, next)

/** Exit 5: it resolves by itself once payment confirms the refund, so trying again later is right. */
const refundUnderWay = (r: Reservation, what: string) =>
  unavailable(
    'REFUND_PENDING',
    `a refund of reservation ${r.reservationNo}'s payment ${r.paymentNo} has begun and payment has not confirmed it yet; ${what}`,
  )

/** Only an active reservation can change. */
function active(state: ReservationState, reservationNo: number): Reservation {
  const r = findReservation(state, reservationNo)
  if (r.reservationStatus !== 'Reserved') throw notActive(r)
  return r
}

export function decideReservation(command: ReservationCommand, state: ReservationState): DomainEvent[] {
  switch (command.type) {
    case 'reserve':
      return reserve(command, state)
    case 'cancel': {
      const r = checkCancellable(state, command.reservationNo)
      // a paid one is refunded first (requestRefund, then payment's answer): cancelling never keeps money
      if (r.paymentStatus === 'Paid') throw refundUnderWay(r, 'cancel again once it is done')
      return [{type: 'ReservationCancelled', data: {reservationNo: r.reservationNo, itemNo: r.itemNo, reason: 'customer'}}]
    }
    case 'startRental':
      return startRental(command, state)
    case 'cancelForDelete': {
      const r = findReservation(state, command.reservationNo)
      if (r.reservationStatus !== 'Reserved' || r.itemNo !== command.itemNo) return [] // it ended already: nothing holds the item
      if (r.rentalStatus !== 'NotRenting') throw alreadyLent(r, `item ${r.itemNo} is with the renter and cannot be deleted; take it back first`)
      // a paid one is refunded by payment's saga step on ReservationCancelled
      return [{type: 'ReservationCancelled', data: {reservationNo: r.reservationNo, itemNo: r.itemNo, reason: 'itemDeleted'}}]
    }
    case 'requestRefund': {
      const r = checkPaymentCancellable(state, command.reservationNo)
      if (r.refundPending) return [] // begun already: payment finishes it, once
      return [{type: 'RefundRequested', data: {reservationNo: r.reservationNo, itemNo: r.itemNo, paymentNo: r.paymentNo!}}]
    }
    default: {
      const unhandled: never = command
      return unhandled
    }
  }
}

function reserve(command: Extract<ReservationCommand, {type: 'reserve'}>, state: ReservationState): DomainEvent[] {
  const item = state.items[command.itemNo]
  if (!item) {
    throw notFound('ITEM_NOT_FOUND', `item ${command.itemNo} does not exist; see the view for rentable items`, {command: 'view.list'})
  }
  if (item.activeReservationNo !== null) {
    const holder = state.reservations[item.activeReservationNo]
    const taken = holder?.rentalStatus === 'Renting' ? `lent out${since(holder)}` : 'already reserved'
    throw refused(
      'NOT_RENTABLE',
      `item ${item.itemNo} is ${taken} (reservation ${item.activeReservationNo}); pick a Rentable one from the view`,
      {command: 'view.list'},
    )
  }
  const {itemNo, itemName, itemPrice} = item
  const {customerName, customerId} = command
  const reservationNo = state.lastReservationNo + 1
  return [{type: 'Reserved', data: {reservationNo, itemNo, itemName, itemPrice, customerName, customerId}}]
}

/**
 * Lending, as reservation decides it: only a paid, active reservation of that item with no refund
 * under way. Once RentalStarted is stored its payment can no longer go back. Asked again (the item
 * service crashed before it marked the item lent) it answers with no new event.
 */
function startRental(command: Extract<ReservationCommand, {type: 'startRental'}>, state: ReservationState): DomainEvent[] {
  const r = active(state, command.reservationNo)
  if (r.itemNo !== command.itemNo) {
    throw refused('NOT_RESERVED', `reservation ${r.reservationNo} is for item ${r.itemNo}, not item ${command.itemNo}`)
  }
  if (r.rentalStatus === 'Renting') return []
  if (r.refundPending) throw refundUnderWay(r, 'the item cannot be lent; reserve and pay again once the refund is done')
  if (r.paymentStatus !== 'Paid') {
    throw refused('NOT_PAID', `reservation ${r.reservationNo} is not paid; pay it first`, {command: 'reservation.pay', reservationNo: r.reservationNo})
  }
  return [{type: 'RentalStarted', data: {reservationNo: r.reservationNo, itemNo: r.itemNo}}]
}

/** cancel: only an active reservation before lending (a paid one is refunded first). */
export function checkCancellable(state: ReservationState, reservationNo: number): Reservation {
  const r = active(state, reservationNo)
  if (r.rentalStatus !== 'NotRenting') throw alreadyLent(r, 'it can only be cancelled before lending')
  return r
}

/** pay: only an active reservation before lending; an already paid one is answered from its payment. */
export function checkPayable(state: ReservationState, reservationNo: number): Reservation {
  const r = active(state, reservationNo)
  if (r.rentalStatus !== 'NotRenting') throw alreadyLent(r, 'take it back first', {command: 'item.return', itemNo: r.itemNo})
  if (r.refundPending) throw refundUnderWay(r, 'pay again once it is done')
  return r
}

/** cancel payment: only a paid reservation that is not lent. */
export function checkPaymentCancellable(state: ReservationState, reservationNo: number): Reservation {
  const r = active(state, reservationNo)
  if (r.paymentStatus !== 'Paid') throw refused('NOT_PAID', `reservation ${r.reservationNo} is not paid, so there is no payment to cancel`)
  if (r.rentalStatus !== 'NotRenting') throw alreadyLent(r, 'its payment can no longer be cancelled')
  return r
}

/**
 * Saga step: an item deleted with --force cancels its active reservation (payment then refunds).
 * A rental that began is never cancelled: the item service refuses to delete a lent item, and
 * decides lend and delete of one item one after the other.
 */
export function reactReservation(state: ReservationState, event: Envelope): DomainEvent[] {
  if (event.type !== 'ItemDeleted') return []
  const active = Object.values(state.reservations).find(
    (r) => r.itemNo === event.data.itemNo && r.reservationStatus === 'Reserved' && r.rentalStatus === 'NotRenting',
  )
  if (!active) return []
  return [
    {type: 'ReservationCancelled', data: {reservationNo: active.reservationNo, itemNo: active.itemNo, reason: 'itemDeleted'}},
  ]
}
