import type {Envelope} from '../../bus/events.js'

/** The CQRS read model: one row per item, joined from all three services' events only. */
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

export interface ViewState {
  rows: Record<string, ViewRow>
}

export const initialViewState = (): ViewState => ({rows: {}})

const noReservation = {
  itemStatus: 'Rentable',
  reservationNo: null,
  customerName: null,
  customerId: null,
  paymentStatus: null,
} as const

export function evolveView(state: ViewState, event: Envelope): ViewState {
  const update = (itemNo: number, change: (row: ViewRow) => ViewRow): ViewState => {
    const row = state.rows[itemNo]
    return row ? {rows: {...state.rows, [itemNo]: change(row)}} : state
  }
  const ofReservation = (itemNo: number, reservationNo: number, change: (row: ViewRow) => ViewRow) =>
    update(itemNo, (row) => (row.reservationNo === reservationNo ? change(row) : row))

  switch (event.type) {
    case 'ItemRegistered': {
      const {itemNo, itemName, itemPrice} = event.data
      const row: ViewRow = {
        itemNo,
        itemName,
        itemPrice,
        itemStatus: 'Rentable',
        rentalStatus: 'NotRenting',
        reservationNo: null,
        customerName: null,
        customerId: null,
        paymentStatus: null,
      }
      return {rows: {...state.rows, [itemNo]: row}}
    }
    case 'ItemDeleted': {
      const {[event.data.itemNo]: _gone, ...rows} = state.rows
      return {rows}
    }
    case 'Reserved': {
      const {reservationNo, customerName, customerId} = event.data
      return update(event.data.itemNo, (row) => ({
        ...row,
        itemStatus: 'NotRentable',
        reservationNo,
        customerName,
        customerId,
        paymentStatus: 'NotPaid',
      }))
    }
    case 'ReservationCancelled':
      return ofReservation(event.data.itemNo, event.data.reservationNo, (row) => ({...row, ...noReservation}))
    case 'PaymentApproved':
      return ofReservation(event.data.itemNo, event.data.reservationNo, (row) => ({...row, paymentStatus: 'Paid'}))
    case 'PaymentCancelled':
      return ofReservation(event.data.itemNo, event.data.reservationNo, (row) => ({...row, paymentStatus: 'NotPaid'}))
    case 'ItemRented':
      return ofReservation(event.data.itemNo, event.data.reservationNo, (row) => ({...row, rentalStatus: 'Renting'}))
    case 'ItemReturned':
      return ofReservation(event.data.itemNo, event.data.reservationNo, (row) => ({
        ...row,
        ...noReservation,
        rentalStatus: 'Returned',
      }))
    default: {
      const unhandled: never = event
      return unhandled
    }
  }
}

export const viewRows = (state: ViewState): ViewRow[] => Object.values(state.rows).sort((a, b) => a.itemNo - b.itemNo)
