import type {DomainEvent, Envelope} from '../../bus/events.js'
import type {Day} from '../../calendar.js'
import {notFound, refused} from '../../errors.js'
import type {Place} from '../../place.js'
import type {ReadView} from '../state.js'
import {bookingsOf, holderOn, type Item, type ItemState} from './item.js'

/** The item service's commands: each returns the events it causes or throws a rejection. */
export type ItemCommand =
  | {type: 'register'; itemName: string; itemPrice: number; place: Place | null}
  | {type: 'delete'; itemNo: number; force: boolean}
  /** the rental reservation let begin (RentalStarted): lending itself is reservation's decision */
  | {type: 'lend'; itemNo: number; reservationNo: number}
  | {type: 'return'; itemNo: number; today: Day}

export function findItem(state: ReadView<ItemState>, itemNo: number): ReadView<Item> {
  const item = state.items[itemNo]
  if (!item) throw notFound('ITEM_NOT_FOUND', `item ${itemNo} does not exist; list the items`, {command: 'item.list'})
  return item
}

export function decideItem(command: ItemCommand, state: ReadView<ItemState>): DomainEvent[] {
  switch (command.type) {
    case 'register':
      return [
        {
          type: 'ItemRegistered',
          data: {itemNo: state.lastItemNo + 1, itemName: command.itemName, itemPrice: command.itemPrice, ...command.place},
        },
      ]
    case 'delete':
      return [{type: 'ItemDeleted', data: {itemNo: command.itemNo, reservationNo: checkDeletable(state, command.itemNo, command.force)[0] ?? null}}]
    case 'lend': {
      const item = findItem(state, command.itemNo)
      if (!bookingsOf(item).some((b) => b.reservationNo === command.reservationNo)) {
        throw refused('NOT_RESERVED', `item ${item.itemNo} is no longer reserved by reservation ${command.reservationNo}`)
      }
      if (item.rentalStatus === 'Renting') return [] // marked lent already (reactItem, or a lend asked twice)
      return [{type: 'ItemRented', data: {itemNo: item.itemNo, reservationNo: command.reservationNo}}]
    }
    case 'return': {
      const item = findItem(state, command.itemNo)
      if (item.rentalStatus !== 'Renting' || item.reservationNo === null) {
        throw refused('NOT_LENT', `item ${item.itemNo} is not lent out, so it cannot be returned`)
      }
      return [{type: 'ItemReturned', data: {itemNo: item.itemNo, reservationNo: item.reservationNo, returnedOn: command.today}}]
    }
    default: {
      const unhandled: never = command
      return unhandled
    }
  }
}

/**
 * Before a delete: never a lent item; one with bookings only with force (the saga then cancels
 * and refunds every one). Returns the bookings that the delete ends, by reservation number.
 */
export function checkDeletable(state: ReadView<ItemState>, itemNo: number, force: boolean): number[] {
  const item = findItem(state, itemNo)
  if (item.rentalStatus === 'Renting') {
    throw refused('ITEM_LENT', `item ${item.itemNo} is lent out; take it back first`, {command: 'item.return', itemNo: item.itemNo})
  }
  const booked = bookingsOf(item).map((b) => b.reservationNo)
  if (booked.length > 0 && !force) {
    const which = booked.length === 1 ? `reservation ${booked[0]}` : `reservations ${booked.join(', ')}`
    throw refused(
      'ITEM_RESERVED',
      `item ${item.itemNo} is reserved (${which}); cancel that first, or delete with force, which cancels and refunds it`,
      {command: 'item.delete', itemNo: item.itemNo, force: true},
    )
  }
  return booked
}

/**
 * Before a lend: the item must not be lent, and a booking must cover today; that is the
 * reservation it asks about. Whether it is paid is for reservation to say (startRental).
 */
export function checkLendable(state: ReadView<ItemState>, itemNo: number, today: Day): ReadView<{reservationNo: number; correlationId: string}> {
  const item = findItem(state, itemNo)
  if (item.rentalStatus === 'Renting') throw refused('ALREADY_LENT', `item ${item.itemNo} is already lent out`)
  const holder = holderOn(item, today)
  if (holder) return holder
  const next = bookingsOf(item).find((b) => b.from > today)
  if (next) {
    throw refused('TOO_EARLY', `item ${item.itemNo} has no booking for today; its next, reservation ${next.reservationNo}, starts on ${next.from}: hand it over on that day`)
  }
  throw refused('NOT_RESERVED', `item ${item.itemNo} has no reservation; reserve it first`, {command: 'reservation.reserve', itemNo: item.itemNo})
}

/**
 * Saga step: once reservation let a rental begin, the item is marked lent, also when the item
 * service crashed between asking and marking (it then finds RentalStarted on its next start).
 */
export function reactItem(state: ReadView<ItemState>, event: Envelope): DomainEvent[] {
  if (event.type !== 'RentalStarted') return []
  const item = state.items[event.data.itemNo]
  if (!item || item.rentalStatus === 'Renting' || !bookingsOf(item).some((b) => b.reservationNo === event.data.reservationNo)) return []
  return [{type: 'ItemRented', data: {itemNo: item.itemNo, reservationNo: event.data.reservationNo}}]
}
