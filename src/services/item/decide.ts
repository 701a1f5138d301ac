import type {DomainEvent, Envelope} from '../../bus/events.js'
import type {ReadView} from '../state.js'
import {notFound, refused} from '../../errors.js'
import type {Place} from '../../place.js'
import type {Item, ItemState} from './item.js'

/** The item service's commands: each returns the events it causes or throws a rejection. */
export type ItemCommand =
  | {type: 'register'; itemName: string; itemPrice: number; place: Place | null}
  | {type: 'delete'; itemNo: number; force: boolean}
  /** the rental reservation let begin (RentalStarted): lending itself is reservation's decision */
  | {type: 'lend'; itemNo: number; reservationNo: number}
  | {type: 'return'; itemNo: number}

export function findItem(state: ReadView<ItemState>, itemNo: number): Item {
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
    case 'delete': {
      const item = findItem(state, command.itemNo)
      if (item.rentalStatus === 'Renting') {
        throw refused('ITEM_LENT', `item ${item.itemNo} is lent out; take it back first`, {command: 'item.return', itemNo: item.itemNo})
      }
      if (item.reservationNo !== null && !command.force) {
        throw refused(
          'ITEM_RESERVED',
          `item ${item.itemNo} is reserved (reservation ${item.reservationNo}); cancel that first, or delete with force, which cancels and refunds it`,
          {command: 'item.delete', itemNo: item.itemNo, force: true},
        )
      }
      return [{type: 'ItemDeleted', data: {itemNo: item.itemNo, reservationNo: item.reservationNo}}]
    }
    case 'lend': {
      const item = findItem(state, command.itemNo)
      if (item.reservationNo !== command.reservationNo) {
        throw refused('NOT_RESERVED', `item ${item.itemNo} is no longer reserved by reservation ${command.reservationNo}`)
      }
      if (item.rentalStatus === 'Renting') return [] // marked lent already (reactItem, or a lend asked twice)
      return [{type: 'ItemRented', data: {itemNo: item.itemNo, reservationNo: item.reservationNo}}]
    }
    case 'return': {
      const item = findItem(state, command.itemNo)
      if (item.rentalStatus !== 'Renting' || item.reservationNo === null) {
        throw refused('NOT_LENT', `item ${item.itemNo} is not lent out, so it cannot be returned`)
      }
      return [{type: 'ItemReturned', data: {itemNo: item.itemNo, reservationNo: item.reservationNo}}]
    }
    default: {
      const unhandled: never = command
      return unhandled
    }
  }
}

/**
 * Before a lend: the item must be reserved and not lent; the reservation it asks about is the one
 * it holds. Whether that reservation is paid is for reservation to say (startRental).
 */
export function checkLendable(state: ReadView<ItemState>, itemNo: number): number {
  const item = findItem(state, itemNo)
  if (item.rentalStatus === 'Renting') throw refused('ALREADY_LENT', `item ${item.itemNo} is already lent out`)
  if (item.reservationNo === null) {
    throw refused('NOT_RESERVED', `item ${item.itemNo} has no reservation; reserve it first`, {command: 'reservation.reserve', itemNo: item.itemNo})
  }
  return item.reservationNo
}

/**
 * Saga step: once reservation let a rental begin, the item is marked lent, also when the item
 * service crashed between asking and marking (it then finds RentalStarted on its next start).
 */
export function reactItem(state: ReadView<ItemState>, event: Envelope): DomainEvent[] {
  if (event.type !== 'RentalStarted') return []
  const item = state.items[event.data.itemNo]
  if (!item || item.reservationNo !== event.data.reservationNo || item.rentalStatus === 'Renting') return []
  return [{type: 'ItemRented', data: {itemNo: item.itemNo, reservationNo: item.reservationNo}}]
}
