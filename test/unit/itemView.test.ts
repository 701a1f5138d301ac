import {describe, expect, it} from 'vitest'

import {evolveView, initialViewState, viewRows, type ViewRow} from '../../src/services/view/itemView.js'
import {
  camera,
  deleted,
  fold,
  kim,
  paymentApproved,
  paymentCancelled,
  registered,
  rented,
  reservationCancelled,
  reserved,
  returned,
  tent,
  young,
} from './given.js'
import type {DomainEvent} from '../../src/bus/events.js'

/** the day the specs read the view on: its statuses are that day's */
const TODAY = '2026-12-06'
const rowsAfter = (...events: DomainEvent[]) => viewRows(fold(evolveView, initialViewState(), events), TODAY)
/** a reservation made before dated bookings holds its item from the start of time until returned */
const held = (reservationNo: number) => ({bookings: [{reservationNo, from: '0000-01-01', to: null}]})
const cameraRow = (...events: DomainEvent[]) => rowsAfter(registered(), ...events).find((r) => r.itemNo === 1)

const free: ViewRow = {
  ...camera,
  itemStatus: 'Rentable',
  rentalStatus: 'NotRenting',
  reservationNo: null,
  latitude: null,
  longitude: null,
  customerName: null,
  customerId: null,
  paymentStatus: null,
  bookings: [],
}

describe('item view', () => {
  it('has no rows before any item is registered', () => {
    expect(viewRows(initialViewState(), TODAY)).toEqual([])
  })

  it('lists rows in item number order', () => {
    const rows = rowsAfter(registered(tent), registered(camera))
    expect(rows.map((r) => r.itemNo)).toEqual([1, 2])
  })

  describe('through a full rental', () => {
    it('shows a registered item as Rentable with no reservation', () => {
      expect(cameraRow()).toEqual(free)
    })

    it('shows the renter and NotPaid once reserved', () => {
      expect(cameraRow(reserved(1))).toEqual({
        ...free,
        itemStatus: 'NotRentable',
        reservationNo: 1,
        customerName: 'Young',
        customerId: 'young-1',
        paymentStatus: 'NotPaid',
        ...held(1),
      })
    })

    it('shows Paid once paid, NotPaid again after the payment is cancelled', () => {
      expect(cameraRow(reserved(1), paymentApproved(1, 1))?.paymentStatus).toBe('Paid')
      expect(cameraRow(reserved(1), paymentApproved(1, 1), paymentCancelled(1, 1))).toMatchObject({
        itemStatus: 'NotRentable',
        reservationNo: 1,
        paymentStatus: 'NotPaid',
      })
    })

    it('shows Renting once lent', () => {
      expect(cameraRow(reserved(1), paymentApproved(1, 1), rented(1))).toEqual({
        ...free,
        itemStatus: 'NotRentable',
        rentalStatus: 'Renting',
        reservationNo: 1,
        ...young,
        paymentStatus: 'Paid',
        ...held(1),
      })
    })

    it('shows Rentable and Returned, with no renter, once returned', () => {
      expect(cameraRow(reserved(1), paymentApproved(1, 1), rented(1), returned(1))).toEqual({...free, rentalStatus: 'Returned'})
    })

    it('shows the next renter after a new reservation of a returned item', () => {
      const row = cameraRow(reserved(1), paymentApproved(1, 1), rented(1), returned(1), reserved(2, camera, kim))
      expect(row).toMatchObject({itemStatus: 'NotRentable', reservationNo: 2, ...kim, paymentStatus: 'NotPaid'})
    })
  })

  describe('when a reservation is cancelled', () => {
    it('shows the item Rentable again with no renter', () => {
      expect(cameraRow(reserved(1), paymentApproved(1, 1), reservationCancelled(1))).toEqual(free)
    })

    it('ignores late events of the older reservation', () => {
      const row = cameraRow(
        reserved(1),
        reservationCancelled(1),
        reserved(2, camera, kim),
        paymentApproved(1, 1),
        reservationCancelled(1),
      )
      expect(row).toMatchObject({itemStatus: 'NotRentable', rentalStatus: 'NotRenting', reservationNo: 2, ...kim, paymentStatus: 'NotPaid'})
    })
  })

  describe('when the three sources interleave in another order', () => {
    it('derives the same row from the same facts, whatever their order across sources', () => {
      const inOrder = cameraRow(reserved(1), paymentApproved(1, 1), rented(1))
      // item's and payment's events before the reservation they belong to
      const shuffled = cameraRow(rented(1), paymentApproved(1, 1), reserved(1))
      expect(shuffled).toEqual(inOrder)
      expect(shuffled).toMatchObject({itemStatus: 'NotRentable', rentalStatus: 'Renting', reservationNo: 1, paymentStatus: 'Paid'})
    })

    it('does not bring back a returned reservation whose start arrives last', () => {
      const row = cameraRow(rented(1), returned(1), paymentApproved(1, 1), reserved(1))
      expect(row).toMatchObject({itemStatus: 'Rentable', rentalStatus: 'Returned', reservationNo: null, paymentStatus: null})
    })
  })

  describe('when an item is deleted', () => {
    it('drops its row and keeps the others', () => {
      const rows = rowsAfter(registered(), registered(tent), reserved(1), deleted(1), reservationCancelled(1, camera, 'itemDeleted'))
      expect(rows).toEqual([{...free, ...tent}])
    })

    it('ignores later events about the deleted item', () => {
      expect(rowsAfter(registered(), deleted(null), reserved(1), paymentApproved(1, 1))).toEqual([])
    })
  })

  describe('with dated bookings: a row reads as on the day asked', () => {
    const booked = (reservationNo: number, rentFrom: string, rentTo: string, customer = kim): DomainEvent => ({
      type: 'Reserved',
      data: {reservationNo, ...camera, ...customer, rentFrom, rentTo},
    })
    const state = fold(evolveView, initialViewState(), [registered(), booked(1, '2026-12-10', '2026-12-12'), booked(2, '2026-12-13', '2026-12-14', young), paymentApproved(1, 1)])
    const on = (day: string) => viewRows(state, day)[0]

    it('shows the renter of the booking that covers the day, and nobody between bookings', () => {
      expect(on('2026-12-09')).toMatchObject({itemStatus: 'Rentable', reservationNo: null, customerName: null})
      expect(on('2026-12-11')).toMatchObject({itemStatus: 'NotRentable', reservationNo: 1, ...kim, paymentStatus: 'Paid'})
      expect(on('2026-12-14')).toMatchObject({itemStatus: 'NotRentable', reservationNo: 2, ...young, paymentStatus: 'NotPaid'})
      expect(on('2026-12-15')).toMatchObject({itemStatus: 'Rentable', bookings: []})
    })

    it('lists the next bookings, without their renters', () => {
      expect(on('2026-12-12').bookings).toEqual([
        {reservationNo: 1, from: '2026-12-10', to: '2026-12-12'},
        {reservationNo: 2, from: '2026-12-13', to: '2026-12-14'},
      ])
    })
  })
})