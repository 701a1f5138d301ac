import type {Envelope} from '../../bus/events.js'
import type {Mutable} from '../state.js'
import type * as Public from '../../contract/records.js'

/** Item lifecycle (docs/architecture.md): the item service's own state, evolved from events. */
export type ItemStatus = Public.Item['itemStatus']
export type RentalStatus = Public.Item['rentalStatus']

export interface Item {
  itemNo: number
  itemName: string
  itemPrice: number
  itemStatus: ItemStatus
  rentalStatus: RentalStatus
  reservationNo: number | null
  /** where it is; absent in stores older than places */
  latitude?: number | null
  longitude?: number | null
  /** the rental's correlation id, carried into ItemRented / ItemReturned */
  correlationId: string | null
}

/**
 * The item service's state. Whether a reservation is paid is not in it: reservation decides
 * whether a rental may begin (docs/guarantees.md#one-owner-per-decision), so item follows
 * reservation's events only.
 */
export interface ItemState {
  items: Record<string, Item>
  lastItemNo: number
}

export const initialItemState = (): ItemState => ({items: {}, lastItemNo: 0})

/** The item as commands print it (docs/commands.md). */
export const publicItem = ({itemNo, itemName, itemPrice, itemStatus, rentalStatus, reservationNo, latitude = null, longitude = null}: Item): Public.Item => ({
  itemNo,
  itemName,
  itemPrice,
  itemStatus,
  rentalStatus,
  reservationNo,
  latitude,
  longitude,
})

const freed = (item: Item): Item => ({...item, itemStatus: 'Rentable', reservationNo: null, correlationId: null})

/**
 * The item as a lend or a return leaves it: what a client's fields describe when sent with the
 * change (docs/http-api.md#bodies-and-claims). `reservationNo` is the rental the change is about.
 */
export const afterRental = (item: Item, change: 'lend' | 'return'): Public.Item =>
  change === 'lend'
    ? {...publicItem(item), itemStatus: 'NotRentable', rentalStatus: 'Renting'}
    : {...publicItem(freed(item)), rentalStatus: 'Returned', reservationNo: item.reservationNo}

/**
 * Applies one event. The maps of the state are updated in place (entries are replaced, never
 * edited): the state belongs to its store, and copying a map of 100k items for every event made
 * each event cost O(items).
 */
export function evolveItem(state: Mutable<ItemState>, event: Envelope): Mutable<ItemState> {
  const update = (itemNo: number, change: (item: Item) => Item): ItemState => {
    const item = state.items[itemNo]
    if (item) state.items[itemNo] = change(item)
    return state
  }
  switch (event.type) {
    case 'ItemRegistered': {
      const {itemNo, itemName, itemPrice, latitude = null, longitude = null} = event.data
      const item: Item = {itemNo, itemName, itemPrice, latitude, longitude, itemStatus: 'Rentable', rentalStatus: 'NotRenting', reservationNo: null, correlationId: null}
      state.items[itemNo] = item
      state.lastItemNo = Math.max(state.lastItemNo, itemNo)
      return state
    }
    case 'ItemDeleted':
      delete state.items[event.data.itemNo]
      return state
    case 'ItemRented':
      return update(event.data.itemNo, (item) => ({...item, rentalStatus: 'Renting'}))
    case 'ItemReturned':
      return update(event.data.itemNo, (item) => ({...freed(item), rentalStatus: 'Returned'}))
    case 'Reserved':
      return update(event.data.itemNo, (item) => ({
        ...item,
        itemStatus: 'NotRentable',
        reservationNo: event.data.reservationNo,
        correlationId: event.correlationId,
      }))
    case 'ReservationCancelled':
      // a rental that began is never cancelled (reservation refuses), so a lent item stays lent
      return update(event.data.itemNo, (item) =>
        item.reservationNo !== event.data.reservationNo || item.rentalStatus === 'Renting' ? item : freed(item),
      )
    case 'RentalStarted': // item answers it with ItemRented (reactItem)
    case 'RefundRequested':
    case 'PaymentApproved':
    case 'PaymentCancelled':
      return state
    default: {
      const unhandled: never = event
      return unhandled
    }
  }
}
