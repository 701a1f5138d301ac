import type {Envelope} from '../../bus/events.js'

/** Item lifecycle (docs/architecture.md): the item service's own state, evolved from events. */
export type ItemStatus = 'Rentable' | 'NotRentable'
export type RentalStatus = 'NotRenting' | 'Renting' | 'Returned'

export interface Item {
  itemNo: number
  itemName: string
  itemPrice: number
  itemStatus: ItemStatus
  rentalStatus: RentalStatus
  reservationNo: number | null
  /** whether the current reservation is paid: lending needs it */
  paid: boolean
  /** the rental's correlation id, carried into ItemRented / ItemReturned */
  correlationId: string | null
}

export interface ItemState {
  items: Record<string, Item>
  lastItemNo: number
  /**
   * Whether each open reservation is paid, as payment said. Payment's events and reservation's come
   * from two sources and can arrive in either order; a payment seen before its reservation counts.
   */
  paidReservations: Record<string, boolean>
}

export const initialItemState = (): ItemState => ({items: {}, lastItemNo: 0, paidReservations: {}})

/** The item as commands print it (docs/commands.md). */
export const publicItem = ({itemNo, itemName, itemPrice, itemStatus, rentalStatus, reservationNo}: Item) => ({
  itemNo,
  itemName,
  itemPrice,
  itemStatus,
  rentalStatus,
  reservationNo,
})
export type PublicItem = ReturnType<typeof publicItem>

const freed = (item: Item): Item => ({...item, itemStatus: 'Rentable', reservationNo: null, paid: false, correlationId: null})

/**
 * Applies one event. The maps of the state are updated in place (entries are replaced, never
 * edited): the state belongs to its store, and copying a map of 100k items for every event made
 * each event cost O(items).
 */
export function evolveItem(state: ItemState, event: Envelope): ItemState {
  const update = (itemNo: number, change: (item: Item) => Item, base: ItemState = state): ItemState => {
    const item = base.items[itemNo]
    if (item) base.items[itemNo] = change(item)
    return base
  }
  /** only `true` is kept (unpaid is the default), and a reservation that ends is forgotten */
  const paid = (reservationNo: number, isPaid: boolean): ItemState => {
    state.paidReservations ??= {}
    if (isPaid) state.paidReservations[reservationNo] = true
    else delete state.paidReservations[reservationNo]
    return state
  }
  switch (event.type) {
    case 'ItemRegistered': {
      const {itemNo, itemName, itemPrice} = event.data
      const item: Item = {
        itemNo,
        itemName,
        itemPrice,
        itemStatus: 'Rentable',
        rentalStatus: 'NotRenting',
        reservationNo: null,
        paid: false,
        correlationId: null,
      }
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
      return update(event.data.itemNo, (item) => ({...freed(item), rentalStatus: 'Returned'}), paid(event.data.reservationNo, false))
    case 'Reserved':
      return update(event.data.itemNo, (item) => ({
        ...item,
        itemStatus: 'NotRentable',
        reservationNo: event.data.reservationNo,
        paid: state.paidReservations?.[event.data.reservationNo] ?? false,
        correlationId: event.correlationId,
      }))
    case 'ReservationCancelled':
      // a cancel that crossed a lend: the item is with the renter, it stays lent until returned
      return update(
        event.data.itemNo,
        (item) => (item.reservationNo !== event.data.reservationNo || item.rentalStatus === 'Renting' ? item : freed(item)),
        paid(event.data.reservationNo, false),
      )
    case 'PaymentApproved':
      return update(
        event.data.itemNo,
        (item) => (item.reservationNo === event.data.reservationNo ? {...item, paid: true} : item),
        paid(event.data.reservationNo, true),
      )
    case 'PaymentCancelled':
      return update(
        event.data.itemNo,
        (item) => (item.reservationNo === event.data.reservationNo ? {...item, paid: false} : item),
        paid(event.data.reservationNo, false),
      )
    default: {
      const unhandled: never = event
      return unhandled
    }
  }
}
