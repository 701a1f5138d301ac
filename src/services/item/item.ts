import type {Envelope} from '../../bus/events.js'

/** Item lifecycle (DESIGN §2): the item service's own state, evolved from events. */
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
}

export const initialItemState = (): ItemState => ({items: {}, lastItemNo: 0})

/** The item as commands print it (DESIGN §4). */
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

export function evolveItem(state: ItemState, event: Envelope): ItemState {
  const update = (itemNo: number, change: (item: Item) => Item): ItemState => {
    const item = state.items[itemNo]
    return item ? {...state, items: {...state.items, [itemNo]: change(item)}} : state
  }
  // only the item's current reservation may change it: late events of an older one are ignored
  const ofReservation = (itemNo: number, reservationNo: number, change: (item: Item) => Item) =>
    update(itemNo, (item) => (item.reservationNo === reservationNo ? change(item) : item))

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
      return {items: {...state.items, [itemNo]: item}, lastItemNo: Math.max(state.lastItemNo, itemNo)}
    }
    case 'ItemDeleted': {
      const {[event.data.itemNo]: _gone, ...items} = state.items
      return {...state, items}
    }
    case 'ItemRented':
      return update(event.data.itemNo, (item) => ({...item, rentalStatus: 'Renting'}))
    case 'ItemReturned':
      return update(event.data.itemNo, (item) => ({...freed(item), rentalStatus: 'Returned'}))
    case 'Reserved':
      return update(event.data.itemNo, (item) => ({
        ...item,
        itemStatus: 'NotRentable',
        reservationNo: event.data.reservationNo,
        paid: false,
        correlationId: event.correlationId,
      }))
    case 'ReservationCancelled':
      // a cancel that crossed a lend: the item is with the renter, it stays lent until returned
      return ofReservation(event.data.itemNo, event.data.reservationNo, (item) =>
        item.rentalStatus === 'Renting' ? item : freed(item),
      )
    case 'PaymentApproved':
      return ofReservation(event.data.itemNo, event.data.reservationNo, (item) => ({...item, paid: true}))
    case 'PaymentCancelled':
      return ofReservation(event.data.itemNo, event.data.reservationNo, (item) => ({...item, paid: false}))
    default: {
      const unhandled: never = event
      return unhandled
    }
  }
}
