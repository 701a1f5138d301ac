import {describe, expect, it} from 'vitest'

import {
  checkPayable,
  checkPaymentCancellable,
  decideReservation,
  findReservation,
  reactReservation,
  type ReservationCommand,
} from '../../src/services/reservation/decide.js'
import {
  evolveReservation,
  initialReservationState,
  publicReservation,
  type ReservationState,
} from '../../src/services/reservation/reservation.js'
import {
  camera,
  deleted,
  envelope,
  expectRejection,
  kim,
  paymentApproved,
  paymentCancelled,
  refundRequested,
  registered,
  rentalStarted,
  rented,
  reservationCancelled,
  reserved,
  returned,
  specFor,
  tent,
  young,
} from './given.js'

const spec = specFor<ReservationState, ReservationCommand>({
  initialState: initialReservationState,
  evolve: evolveReservation,
  decide: decideReservation,
  react: reactReservation,
})
const given = spec.given

/** the day the specs run on: a reservation without dates starts today */
const TODAY = '2026-12-06'
const reserve = (itemNo = camera.itemNo, customer = young) => ({type: 'reserve', itemNo, ...customer, period: null, today: TODAY}) as const
const cancel = (reservationNo = 1) => ({type: 'cancel', reservationNo}) as const
const startRental = (reservationNo = 1, itemNo = camera.itemNo) => ({type: 'startRental', reservationNo, itemNo, today: TODAY}) as const
const requestRefund = (reservationNo = 1) => ({type: 'requestRefund', reservationNo}) as const

describe('reservation', () => {
  describe('when the item is unknown', () => {
    it('refuses to reserve an item that does not exist (exit 4 ITEM_NOT_FOUND)', () => {
      given().when(reserve()).thenThrows({code: 'ITEM_NOT_FOUND', exit: 4, message: 'item 1 does not exist'})
    })

    it('refuses to reserve a deleted item (exit 4 ITEM_NOT_FOUND)', () => {
      given(registered(), deleted(null)).when(reserve()).thenThrows({code: 'ITEM_NOT_FOUND', exit: 4})
    })

    it('refuses to cancel an unknown reservation (exit 4 RESERVATION_NOT_FOUND)', () => {
      given(registered()).when(cancel(9)).thenThrows({
        code: 'RESERVATION_NOT_FOUND',
        exit: 4,
        message: 'reservation 9 does not exist; list the reservations',
        next: {command: 'reservation.list'},
      })
    })

    it('pay and payment cancel find no reservation either (exit 4)', () => {
      const {state} = given(registered())
      expectRejection(() => checkPayable(state, 3), {code: 'RESERVATION_NOT_FOUND', exit: 4})
      expectRejection(() => checkPaymentCancellable(state, 3), {code: 'RESERVATION_NOT_FOUND', exit: 4})
      expectRejection(() => findReservation(state, 3), {code: 'RESERVATION_NOT_FOUND', exit: 4})
    })
  })

  describe('when the item is registered and free', () => {
    it('knows the item from its ItemRegistered event, with no active reservation', () => {
      expect(given(registered()).state.items[1]).toEqual({...camera, bookings: []})
    })

    it('reserves it as number 1, copying the item name and price', () => {
      given(registered())
        .when(reserve(1, young))
        .then([
          {
            type: 'Reserved',
            data: {reservationNo: 1, itemNo: 1, itemName: 'Camera', itemPrice: 100, customerName: 'Young', customerId: 'young-1', rentFrom: TODAY, rentTo: null},
          },
        ])
    })

    it('gives the next reservation the next number, whatever the item', () => {
      given(registered(), registered(tent), reserved(1))
        .when(reserve(tent.itemNo, kim))
        .then([
          {
            type: 'Reserved',
            data: {reservationNo: 2, itemNo: 2, itemName: 'Tent', itemPrice: 40, customerName: 'Kim', customerId: 'kim-7', rentFrom: TODAY, rentTo: null},
          },
        ])
    })
  })

  describe('when reserved', () => {
    const history = [registered(), envelope(reserved(1), {correlationId: 'rental-A'})]

    it('is Reserved, NotPaid, NotRenting, with the rental correlation id', () => {
      const {state} = given(...history)
      expect(publicReservation(state.reservations[1])).toEqual({
        reservationNo: 1,
        itemNo: 1,
        itemName: 'Camera',
        itemPrice: 100,
        customerName: 'Young',
        customerId: 'young-1',
        reservationStatus: 'Reserved',
        paymentStatus: 'NotPaid',
        rentalStatus: 'NotRenting',
        correlationId: 'rental-A',
        rentFrom: null, // made before dated bookings: it has held the item since then
        rentTo: null,
        amount: 100,
        returnedLate: false,
      })
      expect(state.reservations[1].paymentNo).toBeNull()
      expect(state.items[1].bookings).toEqual([1])
      expect(state.lastReservationNo).toBe(1)
    })

    it('does not print its internal paymentNo', () => {
      expect(publicReservation(given(...history).state.reservations[1])).not.toHaveProperty('paymentNo')
    })

    it('refuses a second reservation of the same item (exit 3 NOT_RENTABLE)', () => {
      given(...history)
        .when(reserve(1, kim))
        .thenThrows({code: 'NOT_RENTABLE', exit: 3, message: 'already reserved (reservation 1)'})
    })

    it('may be paid', () => {
      expect(checkPayable(given(...history).state, 1)).toMatchObject({reservationNo: 1, itemPrice: 100, paymentStatus: 'NotPaid'})
    })

    it('refuses to cancel a payment that was never made (exit 3 NOT_PAID)', () => {
      expectRejection(() => checkPaymentCancellable(given(...history).state, 1), {code: 'NOT_PAID', exit: 3})
    })

    it('cancels by the customer (ReservationCancelled, reason customer)', () => {
      given(...history)
        .when(cancel(1))
        .then([{type: 'ReservationCancelled', data: {reservationNo: 1, itemNo: 1, reason: 'customer'}}])
    })

    it('stays Reserved and NotPaid after a declined payment (no event arrives)', () => {
      expect(given(...history).state.reservations[1]).toMatchObject({reservationStatus: 'Reserved', paymentStatus: 'NotPaid'})
    })
  })

  describe('when reserved and paid', () => {
    const history = [registered(), reserved(1), paymentApproved(7, 1)]

    it('is Paid and remembers the payment number', () => {
      expect(given(...history).state.reservations[1]).toMatchObject({paymentStatus: 'Paid', paymentNo: 7})
    })

    it('still passes the pay check, so a second pay is answered from the payment made', () => {
      expect(checkPayable(given(...history).state, 1)).toMatchObject({paymentStatus: 'Paid', paymentNo: 7})
    })

    it('allows the payment to be cancelled', () => {
      expect(checkPaymentCancellable(given(...history).state, 1).reservationNo).toBe(1)
    })

    it('is NotPaid again after its payment is cancelled, and stays Reserved', () => {
      const {state} = given(...history, paymentCancelled(7, 1))
      expect(state.reservations[1]).toMatchObject({reservationStatus: 'Reserved', paymentStatus: 'NotPaid', paymentNo: null})
      expect(state.items[1].bookings).toEqual([1])
    })

    it('ignores the cancellation of some other payment of it', () => {
      expect(given(...history, paymentCancelled(3, 1)).state.reservations[1]).toMatchObject({paymentStatus: 'Paid', paymentNo: 7})
    })

    it('is Paid again by a new payment after a cancelled one', () => {
      const r = given(...history, paymentCancelled(7, 1), paymentApproved(8, 1)).state.reservations[1]
      expect(r).toMatchObject({paymentStatus: 'Paid', paymentNo: 8})
    })

    it('is refunded before it is cancelled: cancelling a paid one is refused until the refund is in (exit 5 REFUND_PENDING)', () => {
      given(...history).when(cancel(1)).thenThrows({code: 'REFUND_PENDING', exit: 5})
      given(...history, refundRequested(1, 7), paymentCancelled(7, 1))
        .when(cancel(1))
        .then([{type: 'ReservationCancelled', data: {reservationNo: 1, itemNo: 1, reason: 'customer'}}])
    })

    it('lets the rental begin (RentalStarted): lending is decided here', () => {
      given(...history).when(startRental()).then([{type: 'RentalStarted', data: {reservationNo: 1, itemNo: 1}}])
    })

    it('refuses a rental of another item than the reserved one (exit 3 NOT_RESERVED)', () => {
      given(...history, registered(tent)).when(startRental(1, tent.itemNo)).thenThrows({code: 'NOT_RESERVED', exit: 3})
    })

    it('records that a refund has begun (RefundRequested for its payment)', () => {
      given(...history).when(requestRefund()).then([{type: 'RefundRequested', data: {reservationNo: 1, itemNo: 1, paymentNo: 7}}])
    })
  })

  describe('when a refund has begun and payment has not confirmed it', () => {
    const history = [registered(), reserved(1), paymentApproved(7, 1), refundRequested(1, 7)]

    it('is still Paid, with the refund pending (not shown to clients)', () => {
      const r = given(...history).state.reservations[1]
      expect(r).toMatchObject({paymentStatus: 'Paid', refundPending: true})
      expect(publicReservation(r)).not.toHaveProperty('refundPending')
    })

    it('refuses to let the rental begin (exit 5 REFUND_PENDING): a refund happens only before lending', () => {
      given(...history).when(startRental()).thenThrows({code: 'REFUND_PENDING', exit: 5, message: 'payment 7'})
    })

    it('refuses a new pay until the refund is in (exit 5 REFUND_PENDING)', () => {
      expectRejection(() => checkPayable(given(...history).state, 1), {code: 'REFUND_PENDING', exit: 5})
    })

    it('does not ask for the same refund twice', () => {
      given(...history).when(requestRefund()).thenNothing()
    })

    it('is NotPaid with nothing pending once payment confirms, and may be paid again', () => {
      const {state} = given(...history, paymentCancelled(7, 1))
      expect(state.reservations[1]).toMatchObject({paymentStatus: 'NotPaid', paymentNo: null, refundPending: false})
      expect(checkPayable(state, 1).paymentStatus).toBe('NotPaid')
    })

    it('refuses the rental once refunded (exit 3 NOT_PAID)', () => {
      given(...history, paymentCancelled(7, 1)).when(startRental()).thenThrows({code: 'NOT_PAID', exit: 3})
    })
  })

  describe('when the rental began (RentalStarted, before the item said ItemRented)', () => {
    const history = [registered(), reserved(1), paymentApproved(7, 1), rentalStarted(1)]

    it('is Renting: the payment can no longer be refunded nor the reservation cancelled (exit 3 ALREADY_LENT)', () => {
      expect(given(...history).state.reservations[1]).toMatchObject({rentalStatus: 'Renting', paymentStatus: 'Paid'})
      expectRejection(() => checkPaymentCancellable(given(...history).state, 1), {code: 'ALREADY_LENT', exit: 3})
      given(...history).when(requestRefund()).thenThrows({code: 'ALREADY_LENT', exit: 3})
      given(...history).when(cancel(1)).thenThrows({code: 'ALREADY_LENT', exit: 3})
    })

    it('answers a second lend with no new event (the item service asks again after a crash)', () => {
      given(...history).when(startRental()).thenNothing()
      given(...history, rented(1)).when(startRental()).thenNothing()
    })

    it('is not cancelled by a forced delete that crossed it', () => {
      given(...history).whenEvent(deleted(1)).thenNothing()
    })

    it('says the item is lent out, and since when, to a second renter (exit 3 NOT_RENTABLE)', () => {
      given(...history).when(reserve(1, kim)).thenThrows({code: 'NOT_RENTABLE', exit: 3, message: /is lent out since 2024-05-01 10:00 UTC \(reservation 1\)/})
    })
  })

  describe('when the item service asks to end it before a forced delete (cancelForDelete)', () => {
    const forDelete = (reservationNo = 1) => ({type: 'cancelForDelete', reservationNo, itemNo: camera.itemNo}) as const

    it('ends a reserved one, paid or not (payment refunds on ReservationCancelled)', () => {
      given(registered(), reserved(1), paymentApproved(7, 1))
        .when(forDelete())
        .then([{type: 'ReservationCancelled', data: {reservationNo: 1, itemNo: 1, reason: 'itemDeleted'}}])
    })

    it('refuses once its rental began (exit 3 ALREADY_LENT), also if the item service has not heard of it', () => {
      given(registered(), reserved(1), paymentApproved(7, 1), rentalStarted(1)).when(forDelete()).thenThrows({code: 'ALREADY_LENT', exit: 3})
    })

    it('has nothing to end when it ended already', () => {
      given(registered(), reserved(1), reservationCancelled(1)).when(forDelete()).thenNothing()
    })
  })

  describe('when cancelled, a late approval of its payment arrives', () => {
    it('stays NotPaid: payment refunds that approval (saga), nothing here says Paid', () => {
      const {state} = given(registered(), reserved(1), reservationCancelled(1), paymentApproved(7, 1))
      expect(state.reservations[1]).toMatchObject({reservationStatus: 'Cancelled', paymentStatus: 'NotPaid', paymentNo: null})
    })
  })

  describe('when lent', () => {
    const history = [registered(), reserved(1), paymentApproved(7, 1), rentalStarted(1), rented(1)]

    it('is Renting and still Reserved', () => {
      expect(given(...history).state.reservations[1]).toMatchObject({reservationStatus: 'Reserved', rentalStatus: 'Renting'})
    })

    it('refuses to cancel the reservation after lending (exit 3 ALREADY_LENT)', () => {
      given(...history).when(cancel(1)).thenThrows({code: 'ALREADY_LENT', exit: 3, message: 'before lending'})
    })

    it('refuses to pay it (exit 3 ALREADY_LENT)', () => {
      expectRejection(() => checkPayable(given(...history).state, 1), {code: 'ALREADY_LENT', exit: 3})
    })

    it('refuses to cancel its payment (exit 3 ALREADY_LENT)', () => {
      expectRejection(() => checkPaymentCancellable(given(...history).state, 1), {code: 'ALREADY_LENT', exit: 3})
    })

    it('keeps the item taken: no other renter can reserve it (exit 3 NOT_RENTABLE)', () => {
      given(...history).when(reserve(1, kim)).thenThrows({code: 'NOT_RENTABLE', exit: 3})
    })
  })

  describe('when returned', () => {
    const history = [registered(), reserved(1), paymentApproved(7, 1), rented(1), returned(1)]

    it('is Returned and Completed, and frees the item', () => {
      const {state} = given(...history)
      expect(state.reservations[1]).toMatchObject({reservationStatus: 'Completed', rentalStatus: 'Returned', paymentStatus: 'Paid'})
      expect(state.items[1].bookings).toEqual([])
    })

    it('lets another renter reserve the item, as reservation 2', () => {
      given(...history)
        .when(reserve(1, kim))
        .then([{type: 'Reserved', data: {reservationNo: 2, ...camera, ...kim, rentFrom: TODAY, rentTo: null}}])
    })

    it('refuses to cancel a completed reservation (exit 3 ALREADY_COMPLETED)', () => {
      given(...history).when(cancel(1)).thenThrows({code: 'ALREADY_COMPLETED', exit: 3, message: 'is Completed'})
    })

    it('refuses to pay or cancel the payment of a completed reservation (exit 3 ALREADY_COMPLETED)', () => {
      const {state} = given(...history)
      expectRejection(() => checkPayable(state, 1), {code: 'ALREADY_COMPLETED', exit: 3})
      expectRejection(() => checkPaymentCancellable(state, 1), {code: 'ALREADY_COMPLETED', exit: 3})
    })
  })

  describe('when cancelled', () => {
    const history = [registered(), reserved(1), reservationCancelled(1)]

    it('is Cancelled and frees the item', () => {
      const {state} = given(...history)
      expect(state.reservations[1].reservationStatus).toBe('Cancelled')
      expect(state.items[1].bookings).toEqual([])
    })

    it('refuses to cancel twice (exit 3 ALREADY_CANCELLED)', () => {
      given(...history).when(cancel(1)).thenThrows({code: 'ALREADY_CANCELLED', exit: 3, message: 'reservation 1 is Cancelled'})
    })

    it('refuses to pay a cancelled reservation (exit 3 ALREADY_CANCELLED)', () => {
      expectRejection(() => checkPayable(given(...history).state, 1), {code: 'ALREADY_CANCELLED', exit: 3})
    })

    it('refuses to cancel the payment of a cancelled reservation (exit 3 ALREADY_CANCELLED)', () => {
      expectRejection(() => checkPaymentCancellable(given(...history).state, 1), {code: 'ALREADY_CANCELLED', exit: 3})
    })

    it('lets the item be reserved again, as reservation 2', () => {
      given(...history)
        .when(reserve(1, kim))
        .then([{type: 'Reserved', data: {reservationNo: 2, ...camera, ...kim, rentFrom: TODAY, rentTo: null}}])
    })

    it('a late cancellation of an older reservation does not free the current one', () => {
      const {state} = given(...history, reserved(2), reservationCancelled(1))
      expect(state.items[1].bookings).toEqual([2])
      expect(state.reservations[2].reservationStatus).toBe('Reserved')
    })
  })

  describe('when its item is deleted (the --force saga)', () => {
    it('cancels the active reservation of the deleted item (reason itemDeleted)', () => {
      given(registered(), reserved(1))
        .whenEvent(deleted(1))
        .then([{type: 'ReservationCancelled', data: {reservationNo: 1, itemNo: 1, reason: 'itemDeleted'}}])
    })

    it('cancels the reservation it holds even when the item did not know of it yet', () => {
      given(registered(), reserved(1))
        .whenEvent(deleted(null))
        .then([{type: 'ReservationCancelled', data: {reservationNo: 1, itemNo: 1, reason: 'itemDeleted'}}])
    })

    it('does nothing for an item without an active reservation', () => {
      given(registered(), reserved(1), reservationCancelled(1)).whenEvent(deleted(null)).thenNothing()
      given(registered(), reserved(1), paymentApproved(1, 1), rented(1), returned(1)).whenEvent(deleted(null)).thenNothing()
    })

    it('leaves the reservations of other items alone', () => {
      given(registered(), registered(tent), reserved(1, tent)).whenEvent(deleted(null, camera)).thenNothing()
    })

    it('reacts to no other event', () => {
      given(registered(), reserved(1)).whenEvent(rented(1)).thenNothing()
      given(registered(), reserved(1)).whenEvent(paymentApproved(1, 1)).thenNothing()
    })

    it('forgets the item, so it cannot be reserved again (exit 4)', () => {
      const history = [registered(), reserved(1), deleted(1), reservationCancelled(1, camera, 'itemDeleted')]
      expect(given(...history).state.reservations[1].reservationStatus).toBe('Cancelled')
      given(...history).when(reserve(1, kim)).thenThrows({code: 'ITEM_NOT_FOUND', exit: 4})
    })
  })

  describe('with dates (calendar days, both included)', () => {
    const book = (from: string, to: string, customer = young, itemNo = camera.itemNo) =>
      ({type: 'reserve', itemNo, ...customer, period: {from, to}, today: TODAY}) as const
    const bookedEvent = (reservationNo: number, rentFrom: string, rentTo: string | null, customer = young) =>
      envelope({type: 'Reserved', data: {reservationNo, ...camera, ...customer, rentFrom, rentTo}})

    it('books the days asked, and a booking never overlaps another of the same item', () => {
      given(registered())
        .when(book('2026-12-10', '2026-12-12'))
        .then([{type: 'Reserved', data: {reservationNo: 1, ...camera, ...young, rentFrom: '2026-12-10', rentTo: '2026-12-12'}}])
      given(registered(), bookedEvent(1, '2026-12-10', '2026-12-12'))
        .when(book('2026-12-12', '2026-12-14', kim))
        .thenThrows({code: 'NOT_RENTABLE', exit: 3, message: 'item 1 is booked 2026-12-10 to 2026-12-12 (reservation 1); pick other days'})
    })

    it('takes back-to-back bookings: one ends on the 12th, the next starts on the 13th', () => {
      given(registered(), bookedEvent(1, '2026-12-10', '2026-12-12'))
        .when(book('2026-12-13', '2026-12-14', kim))
        .then([{type: 'Reserved', data: {reservationNo: 2, ...camera, ...kim, rentFrom: '2026-12-13', rentTo: '2026-12-14'}}])
    })

    it('refuses days in the past (exit 2), and a reservation without dates that would run into a booking', () => {
      given(registered()).when(book('2026-12-05', '2026-12-07')).thenThrows({code: 'BAD_INPUT', exit: 2, message: 'rentFrom 2026-12-05 is in the past (today is 2026-12-06)'})
      given(registered(), bookedEvent(1, '2026-12-20', '2026-12-21')).when(reserve()).thenThrows({code: 'NOT_RENTABLE', exit: 3, message: 'booked 2026-12-20 to 2026-12-21'})
    })

    it('is at most a year long (366 days), at a price the market can hold (exit 2)', () => {
      given(registered())
        .when(book('2026-12-06', '2027-12-06'))
        .then([{type: 'Reserved', data: {reservationNo: 1, ...camera, ...young, rentFrom: '2026-12-06', rentTo: '2027-12-06'}}])
      given(registered()).when(book('2026-12-06', '2027-12-07')).thenThrows({code: 'BAD_INPUT', exit: 2, message: 'is 367 days; a booking is at most 366 days'})
      const dear = envelope({type: 'ItemRegistered', data: {itemNo: 1, itemName: 'Yacht', itemPrice: 999_999_999_999_999}})
      given(dear).when(book('2026-12-06', '2026-12-07')).thenThrows({code: 'BAD_INPUT', exit: 2, message: '2 days at 999999999999999 a day is more than 999999999999999'})
    })

    it('costs the price per day × its days; without dates, the price once', () => {
      const {state} = given(registered(), bookedEvent(1, '2026-12-10', '2026-12-12'), bookedEvent(2, '2026-12-20', '2026-12-20', kim))
      expect(publicReservation(state.reservations[1])).toMatchObject({rentFrom: '2026-12-10', rentTo: '2026-12-12', amount: 300})
      expect(publicReservation(state.reservations[2]).amount).toBe(100)
      expect(publicReservation(given(registered(), reserved(3)).state.reservations[3]).amount).toBe(100)
    })

    it('lets the rental begin only from its first day, and records a late return as such', () => {
      const history = [registered(), bookedEvent(1, '2026-12-10', '2026-12-12'), paymentApproved(1, 1)]
      given(...history).when(startRental()).thenThrows({code: 'TOO_EARLY', exit: 3, message: 'reservation 1 starts on 2026-12-10'})
      given(...history)
        .when({...startRental(), today: '2026-12-10'})
        .then([{type: 'RentalStarted', data: {reservationNo: 1, itemNo: 1}}])
      const late = given(...history, rentalStarted(1), envelope({type: 'ItemReturned', data: {itemNo: 1, reservationNo: 1, returnedOn: '2026-12-14'}}))
      expect(publicReservation(late.state.reservations[1])).toMatchObject({reservationStatus: 'Completed', returnedLate: true})
      const onTime = given(...history, rentalStarted(1), envelope({type: 'ItemReturned', data: {itemNo: 1, reservationNo: 1, returnedOn: '2026-12-12'}}))
      expect(publicReservation(onTime.state.reservations[1]).returnedLate).toBe(false)
    })

    it('frees the days of a cancelled booking', () => {
      given(registered(), bookedEvent(1, '2026-12-10', '2026-12-12'), reservationCancelled(1))
        .when(book('2026-12-11', '2026-12-11', kim))
        .then([{type: 'Reserved', data: {reservationNo: 2, ...camera, ...kim, rentFrom: '2026-12-11', rentTo: '2026-12-11'}}])
    })
  })
})