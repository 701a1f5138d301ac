import type {Envelope} from '../../bus/events.js'

/**
 * The CQRS read model: one row per item, joined from all three services' events only.
 *
 * Events of one source arrive in order, but the three sources' events can interleave in any order
 * (a restarted projector gets its queue replayed while new events already flow). So the view keeps
 * facts — what item said about each item, what reservation and payment said about each
 * reservation — and derives each row from them: the same facts in any order give the same row.
 */
export interface ViewRow {
  itemNo: number
  itemName: string
  itemPrice: number
  itemStatus: 'Rentable' | 'NotRentable'
  rentalStatus: 'NotRenting' | 'Renting' | 'Returned'
  reservationNo: number | null
  customerName: string | null
  customerId: string | null
  paymentStatus: 'NotPaid' | 'Paid' | null
}

interface ItemFacts {
  itemNo: number
  itemName: string
  itemPrice: number
  rentalStatus: ViewRow['rentalStatus']
}

/** What is known of one reservation; `reserved` is false while only later facts have arrived. */
interface ReservationFacts {
  itemNo: number
  reserved: boolean
  customerName: string | null
  customerId: string | null
  paid: boolean
  /** cancelled, or its item was returned: it no longer holds the item */
  ended: boolean
}

export interface ViewState {
  rows: Record<string, ViewRow>
  items: Record<string, ItemFacts>
  reservations: Record<string, ReservationFacts>
}

export const initialViewState = (): ViewState => ({rows: {}, items: {}, reservations: {}})

const unknownReservation = (itemNo: number): ReservationFacts => ({
  itemNo,
  reserved: false,
  customerName: null,
  customerId: null,
  paid: false,
  ended: false,
})

export function evolveView(state: ViewState, event: Envelope): ViewState {
  const next = applyFacts(state, event)
  return next === state ? state : {...next, rows: rowsAfter(next, event.data.itemNo)}
}

function applyFacts(state: ViewState, event: Envelope): ViewState {
  const reservation = (reservationNo: number, itemNo: number, change: (r: ReservationFacts) => ReservationFacts): ViewState => {
    const facts = change(state.reservations[reservationNo] ?? unknownReservation(itemNo))
    const {[reservationNo]: _old, ...others} = state.reservations
    // an ended reservation whose start is known cannot change the row again: forget it
    return {...state, reservations: facts.reserved && facts.ended ? others : {...others, [reservationNo]: facts}}
  }
  const item = (itemNo: number, change: (i: ItemFacts) => ItemFacts): ViewState => {
    const facts = state.items[itemNo]
    return facts ? {...state, items: {...state.items, [itemNo]: change(facts)}} : state
  }

  switch (event.type) {
    case 'ItemRegistered': {
      const {itemNo, itemName, itemPrice} = event.data
      return {...state, items: {...state.items, [itemNo]: {itemNo, itemName, itemPrice, rentalStatus: 'NotRenting'}}}
    }
    case 'ItemDeleted': {
      const {[event.data.itemNo]: _gone, ...items} = state.items
      const reservations = Object.fromEntries(Object.entries(state.reservations).filter(([, r]) => r.itemNo !== event.data.itemNo))
      return {...state, items, reservations}
    }
    case 'ItemRented':
      return item(event.data.itemNo, (i) => ({...i, rentalStatus: 'Renting'}))
    case 'ItemReturned': {
      const returned = item(event.data.itemNo, (i) => ({...i, rentalStatus: 'Returned'}))
      return {...returned, reservations: reservation(event.data.reservationNo, event.data.itemNo, (r) => ({...r, ended: true})).reservations}
    }
    case 'Reserved': {
      const {customerName, customerId} = event.data
      return reservation(event.data.reservationNo, event.data.itemNo, (r) => ({...r, reserved: true, customerName, customerId}))
    }
    case 'ReservationCancelled':
      return reservation(event.data.reservationNo, event.data.itemNo, (r) => ({...r, ended: true}))
    case 'PaymentApproved':
      return reservation(event.data.reservationNo, event.data.itemNo, (r) => ({...r, paid: true}))
    case 'PaymentCancelled':
      return reservation(event.data.reservationNo, event.data.itemNo, (r) => ({...r, paid: false}))
    default: {
      const unhandled: never = event
      return unhandled
    }
  }
}

/** The rows with the row of `itemNo` derived again from the facts (or gone with its item). */
function rowsAfter(state: ViewState, itemNo: number): Record<string, ViewRow> {
  const {[itemNo]: _old, ...rows} = state.rows
  const item = state.items[itemNo]
  if (!item) return rows
  const active = Object.entries(state.reservations).find(([, r]) => r.itemNo === itemNo && r.reserved && !r.ended)
  const [reservationNo, r] = active ?? [null, null]
  const row: ViewRow = {
    itemNo,
    itemName: item.itemName,
    itemPrice: item.itemPrice,
    itemStatus: r ? 'NotRentable' : 'Rentable',
    rentalStatus: item.rentalStatus,
    reservationNo: reservationNo === null ? null : Number(reservationNo),
    customerName: r?.customerName ?? null,
    customerId: r?.customerId ?? null,
    paymentStatus: r ? (r.paid ? 'Paid' : 'NotPaid') : null,
  }
  return {...rows, [itemNo]: row}
}

export const viewRows = (state: ViewState): ViewRow[] => Object.values(state.rows).sort((a, b) => a.itemNo - b.itemNo)
