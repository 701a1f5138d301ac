import type {DomainEvent, Envelope} from '../../bus/events.js'
import type {ReadView} from '../state.js'
import {daysIncluded, lengthProblem, type Day} from '../../calendar.js'
import {badInput, notFound, refused, unavailable, type GdError} from '../../errors.js'
import {MAX_NUMBER} from '../../text.js'
import type {NextStep} from '../../nextStep.js'
import {clashWith, daysOf} from './bookings.js'
import {bookingsOf, type Reservation, type ReservationState} from './reservation.js'

/**
 * The reservation service's commands. Besides its own (reserve, cancel) it decides the two
 * things that item and payment could otherwise race on: whether a rental may begin, and whether
 * money may go back (docs/guarantees.md#one-owner-per-decision).
 */
export type ReservationCommand =
  /** `period` null: from `today` until returned (the original's meaning) */
  | {type: 'reserve'; itemNo: number; customerName: string; customerId: string; period: {from: Day; to: Day} | null; today: Day}
  | {type: 'cancel'; reservationNo: number}
  | {type: 'startRental'; reservationNo: number; itemNo: number; today: Day}
  | {type: 'requestRefund'; reservationNo: number}
  /** the item service asks before it deletes a reserved item (--force): the reservation ends, unless its rental began */
  | {type: 'cancelForDelete'; reservationNo: number; itemNo: number}

export function findReservation(state: ReadView<ReservationState>, reservationNo: number): Reservation {
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
function active(state: ReadView<ReservationState>, reservationNo: number): Reservation {
  const r = findReservation(state, reservationNo)
  if (r.reservationStatus !== 'Reserved') throw notActive(r)
  return r
}

export function decideReservation(command: ReservationCommand, state: ReadView<ReservationState>): DomainEvent[] {
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

function reserve(command: Extract<ReservationCommand, {type: 'reserve'}>, state: ReadView<ReservationState>): DomainEvent[] {
  const item = state.items[command.itemNo]
  if (!item) {
    throw notFound('ITEM_NOT_FOUND', `item ${command.itemNo} does not exist; see the view for rentable items`, {command: 'view.list'})
  }
  const {period, today} = command
  if (period) checkPeriod(period, today, item.itemPrice)
  const clash = clashWith(state, item, period ?? {from: today, to: null})
  if (clash) throw notRentable(item.itemNo, clash, period !== null)
  const {itemNo, itemName, itemPrice} = item
  const {customerName, customerId} = command
  const reservationNo = state.lastReservationNo + 1
  const days = period ?? {from: today, to: null}
  return [{type: 'Reserved', data: {reservationNo, itemNo, itemName, itemPrice, customerName, customerId, rentFrom: days.from, rentTo: days.to}}]
}

/** A booking's days: from today on, at most MAX_BOOKED_DAYS, at a price the market can hold (a whole number up to MAX_NUMBER). */
function checkPeriod(period: {from: Day; to: Day}, today: Day, itemPrice: number): void {
  if (period.from < today) throw badInput(`rentFrom ${period.from} is in the past (today is ${today}); book from today on`)
  const tooLong = lengthProblem(period.from, period.to)
  if (tooLong) throw badInput(tooLong)
  const days = daysIncluded(period.from, period.to)
  if (itemPrice * days > MAX_NUMBER) throw badInput(`${days} days at ${itemPrice} a day is more than ${MAX_NUMBER}; book fewer days`)
}

/** The refusal of a booking that shares a day with `clash`: names its days when either has dates. */
function notRentable(itemNo: number, clash: ReadView<Reservation>, dated: boolean): GdError {
  const taken = clash.rentalStatus === 'Renting' ? `lent out${since(clash)}` : dated || clash.rentTo != null ? `booked ${daysOf(clash)}` : 'already reserved'
  const what = dated ? 'pick other days, or another item from the view' : 'pick a Rentable one from the view'
  return refused('NOT_RENTABLE', `item ${itemNo} is ${taken} (reservation ${clash.reservationNo}); ${what}`, {command: 'view.list'})
}

/**
 * Lending, as reservation decides it: only a paid, active reservation of that item with no refund
 * under way. Once RentalStarted is stored its payment can no longer go back. Asked again (the item
 * service crashed before it marked the item lent) it answers with no new event.
 */
function startRental(command: Extract<ReservationCommand, {type: 'startRental'}>, state: ReadView<ReservationState>): DomainEvent[] {
  const r = active(state, command.reservationNo)
  if (r.itemNo !== command.itemNo) {
    throw refused('NOT_RESERVED', `reservation ${r.reservationNo} is for item ${r.itemNo}, not item ${command.itemNo}`)
  }
  if (r.rentalStatus === 'Renting') return []
  if (r.rentFrom && r.rentFrom > command.today) {
    throw refused('TOO_EARLY', `reservation ${r.reservationNo} starts on ${r.rentFrom} (today is ${command.today}); hand item ${r.itemNo} over on that day`)
  }
  if (r.refundPending) throw refundUnderWay(r, 'the item cannot be lent; reserve and pay again once the refund is done')
  if (r.paymentStatus !== 'Paid') {
    throw refused('NOT_PAID', `reservation ${r.reservationNo} is not paid; pay it first`, {command: 'reservation.pay', reservationNo: r.reservationNo})
  }
  return [{type: 'RentalStarted', data: {reservationNo: r.reservationNo, itemNo: r.itemNo}}]
}

/** cancel: only an active reservation before lending (a paid one is refunded first). */
export function checkCancellable(state: ReadView<ReservationState>, reservationNo: number): Reservation {
  const r = active(state, reservationNo)
  if (r.rentalStatus !== 'NotRenting') throw alreadyLent(r, 'it can only be cancelled before lending')
  return r
}

/** pay: only an active reservation before lending; an already paid one is answered from its payment. */
export function checkPayable(state: ReadView<ReservationState>, reservationNo: number): Reservation {
  const r = active(state, reservationNo)
  if (r.rentalStatus !== 'NotRenting') throw alreadyLent(r, 'take it back first', {command: 'item.return', itemNo: r.itemNo})
  if (r.refundPending) throw refundUnderWay(r, 'pay again once it is done')
  return r
}

/** cancel payment: only a paid reservation that is not lent. */
export function checkPaymentCancellable(state: ReadView<ReservationState>, reservationNo: number): Reservation {
  const r = active(state, reservationNo)
  if (r.paymentStatus !== 'Paid') throw refused('NOT_PAID', `reservation ${r.reservationNo} is not paid, so there is no payment to cancel`)
  if (r.rentalStatus !== 'NotRenting') throw alreadyLent(r, 'its payment can no longer be cancelled')
  return r
}

/**
 * Saga step: an item deleted with --force cancels its live bookings (payment then refunds each).
 * A rental that began is never cancelled: the item service refuses to delete a lent item, and
 * decides lend and delete of one item one after the other.
 */
export function reactReservation(state: ReadView<ReservationState>, event: Envelope): DomainEvent[] {
  if (event.type !== 'ItemDeleted') return []
  const item = state.items[event.data.itemNo]
  const live = item ? bookingsOf(item).map((no) => state.reservations[no]) : Object.values(state.reservations)
  return live
    .filter((r) => r !== undefined && r.itemNo === event.data.itemNo && r.reservationStatus === 'Reserved' && r.rentalStatus === 'NotRenting')
    .map((r) => ({type: 'ReservationCancelled', data: {reservationNo: r.reservationNo, itemNo: r.itemNo, reason: 'itemDeleted'}}))
}
