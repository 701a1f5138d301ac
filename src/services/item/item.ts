import type {Envelope} from '../../bus/events.js'
import type {Day} from '../../calendar.js'
import type * as Public from '../../contract/records.js'
import {bookingsFrom, EARLIEST, holderOf} from '../bookingDays.js'
import type {Mutable, ReadView} from '../state.js'

/** Item lifecycle (docs/architecture.md): the item service's own state, evolved from events. */
export type ItemStatus = Public.Item['itemStatus']
export type RentalStatus = Public.Item['rentalStatus']

/** A live booking of an item (reserved, not yet returned or cancelled): its days and its rental's correlation. */
export interface ItemBooking {
  reservationNo: number
  from: Day
  /** null: until returned (a reservation without dates) */
  to: Day | null
  correlationId: string
}

export interface Item {
  itemNo: number
  itemName: string
  itemPrice: number
  /** stores before dated bookings: NotRentable while `reservationNo` held it; now the day asked decides (publicItem) */
  itemStatus: ItemStatus
  rentalStatus: RentalStatus
  /** the rental in hand (lent out); in stores before dated bookings, also the one reservation that held it */
  reservationNo: number | null
  /** where it is; absent in stores older than places */
  latitude?: number | null
  longitude?: number | null
  /** the correlation id of `reservationNo`'s rental, carried into ItemRented / ItemReturned */
  correlationId: string | null
  /** its live bookings; absent in stores before dated bookings (bookingsOf) */
  bookings?: ItemBooking[]
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


/** An item's live bookings, first first; a store from before dated bookings had one at most, until returned. */
export function bookingsOf(item: ReadView<Item>): readonly ReadView<ItemBooking>[] {
  if (item.bookings) return item.bookings
  return item.reservationNo === null ? [] : [{reservationNo: item.reservationNo, from: EARLIEST, to: null, correlationId: item.correlationId ?? ''}]
}

/** Who has the item on `day`: the rental in hand, else the booking that covers that day. */
export const holderOn = (item: ReadView<Item>, day: Day): ReadView<ItemBooking> | undefined =>
  holderOf(bookingsOf(item), item.rentalStatus === 'Renting' ? item.reservationNo : null, day)

/** The item as commands print it on `today` (docs/commands.md): its statuses are today's, and it lists its bookings from today on. */
export function publicItem(item: ReadView<Item>, today: Day): Public.Item {
  const {itemNo, itemName, itemPrice, rentalStatus, latitude = null, longitude = null} = item
  const holder = holderOn(item, today)
  return {
    itemNo,
    itemName,
    itemPrice,
    itemStatus: holder ? 'NotRentable' : 'Rentable',
    rentalStatus,
    reservationNo: holder?.reservationNo ?? null,
    latitude,
    longitude,
    bookings: bookingsFrom(bookingsOf(item), today),
  }
}

const withoutBooking = (item: Item, reservationNo: number): Item => ({
  ...item,
  bookings: bookingsOf(item).filter((b) => b.reservationNo !== reservationNo),
  ...(item.reservationNo === reservationNo ? {reservationNo: null, correlationId: null, itemStatus: 'Rentable' as const} : {}),
})

/**
 * The item as a lend or a return leaves it on `today`: what a client's fields describe when sent
 * with the change (docs/http-api.md#bodies-and-claims). `reservationNo` is the rental the change is about.
 */
export function afterRental(item: Item, change: 'lend' | 'return', today: Day, reservationNo = item.reservationNo): Public.Item {
  if (change === 'lend') return {...publicItem(item, today), itemStatus: 'NotRentable', rentalStatus: 'Renting', reservationNo}
  const back = {...withoutBooking(item, item.reservationNo ?? 0), rentalStatus: 'Returned' as const}
  return {...publicItem(back, today), reservationNo}
}

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
      const item: Item = {itemNo, itemName, itemPrice, latitude, longitude, itemStatus: 'Rentable', rentalStatus: 'NotRenting', reservationNo: null, correlationId: null, bookings: []}
      state.items[itemNo] = item
      state.lastItemNo = Math.max(state.lastItemNo, itemNo)
      return state
    }
    case 'ItemDeleted':
      delete state.items[event.data.itemNo]
      return state
    case 'ItemRented':
      return update(event.data.itemNo, (item) => {
        const booking = bookingsOf(item).find((b) => b.reservationNo === event.data.reservationNo)
        return {...item, bookings: [...bookingsOf(item)], rentalStatus: 'Renting', reservationNo: event.data.reservationNo, correlationId: booking?.correlationId ?? item.correlationId}
      })
    case 'ItemReturned':
      return update(event.data.itemNo, (item) => ({...withoutBooking(item, event.data.reservationNo), rentalStatus: 'Returned'}))
    case 'Reserved': {
      const {reservationNo, rentFrom = EARLIEST, rentTo = null} = event.data
      const booking: ItemBooking = {reservationNo, from: rentFrom, to: rentTo, correlationId: event.correlationId}
      return update(event.data.itemNo, (item) => ({
        ...item,
        bookings: [...bookingsOf(item).filter((b) => b.reservationNo !== reservationNo), booking].sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0)),
      }))
    }
    case 'ReservationCancelled':
      // a rental that began is never cancelled (reservation refuses), so a lent item stays lent
      return update(event.data.itemNo, (item) =>
        item.rentalStatus === 'Renting' && item.reservationNo === event.data.reservationNo ? item : withoutBooking(item, event.data.reservationNo),
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
