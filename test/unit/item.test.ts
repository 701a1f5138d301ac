import {describe, expect, it} from 'vitest'

import {checkLendable, decideItem, findItem, reactItem, type ItemCommand} from '../../src/services/item/decide.js'
import {afterRental, bookingsOf, evolveItem, initialItemState, publicItem, type ItemState} from '../../src/services/item/item.js'
import {
  camera,
  deleted,
  envelope,
  expectRejection,
  paymentApproved,
  registered,
  rentalStarted,
  rented,
  reservationCancelled,
  reserved,
  returned,
  specFor,
  tent,
} from './given.js'

const spec = specFor<ItemState, ItemCommand>({initialState: initialItemState, evolve: evolveItem, decide: decideItem, react: reactItem})
const given = spec.given

/** marks the item lent, once reservation let the rental begin */
const lend = (reservationNo = 1) => ({type: 'lend', itemNo: camera.itemNo, reservationNo}) as const
/** what the item service checks before it asks reservation */
const lendable = (...history: Parameters<typeof given>) => () => checkLendable(given(...history).state, camera.itemNo, TODAY).reservationNo
/** the day the specs run on: statuses are today's */
const TODAY = '2026-12-06'
const giveBack = {type: 'return', itemNo: camera.itemNo, today: TODAY} as const
/** the item as commands print it today */
const shown = (...history: Parameters<typeof given>) => publicItem(given(...history).state.items[camera.itemNo], TODAY)
const remove = (force = false) => ({type: 'delete', itemNo: camera.itemNo, force}) as const

describe('item', () => {
  describe('when nothing is registered', () => {
    it('registers a new item as number 1', () => {
      given()
        .when({type: 'register', itemName: 'Camera', itemPrice: 100})
        .then([{type: 'ItemRegistered', data: {itemNo: 1, itemName: 'Camera', itemPrice: 100}}])
    })

    it('starts with no items and no number used', () => {
      expect(initialItemState()).toEqual({items: {}, lastItemNo: 0})
    })

    it.each([
      ['lend', lend()],
      ['return', giveBack],
      ['delete', remove()],
    ] as const)('refuses to %s an unknown item (exit 4 ITEM_NOT_FOUND)', (_verb, command) => {
      given().when(command).thenThrows({code: 'ITEM_NOT_FOUND', exit: 4, message: 'item 1 does not exist'})
    })

    it('findItem names the missing item, and says to list the items as its next step (exit 4)', () => {
      expectRejection(() => findItem(initialItemState(), 42), {
        code: 'ITEM_NOT_FOUND',
        exit: 4,
        message: 'item 42 does not exist; list the items',
        next: {command: 'item.list'},
      })
    })
  })

  describe('when registered', () => {
    it('is Rentable and NotRenting, with no reservation', () => {
      const {state} = given(registered())
      expect(state.items[1]).toEqual({
        ...camera,
        itemStatus: 'Rentable',
        rentalStatus: 'NotRenting',
        reservationNo: null,
        latitude: null,
        longitude: null,
        correlationId: null,
        bookings: [],
      })
      expect(state.lastItemNo).toBe(1)
    })

    it('gives the next item the next number', () => {
      given(registered())
        .when({type: 'register', itemName: 'Tent', itemPrice: 40})
        .then([{type: 'ItemRegistered', data: {itemNo: 2, itemName: 'Tent', itemPrice: 40}}])
    })

    it('prints only the public fields, with reservationNo null', () => {
      const {state} = given(registered())
      expect(publicItem(findItem(state, 1), TODAY)).toEqual({
        itemNo: 1,
        itemName: 'Camera',
        itemPrice: 100,
        itemStatus: 'Rentable',
        rentalStatus: 'NotRenting',
        reservationNo: null,
        latitude: null,
        longitude: null,
        bookings: [],
      })
    })

    it('deletes a free item (ItemDeleted without reservation)', () => {
      given(registered()).when(remove()).then([{type: 'ItemDeleted', data: {itemNo: 1, reservationNo: null}}])
    })

    it('refuses to lend an unreserved item (exit 3 NOT_RESERVED)', () => {
      expectRejection(lendable(registered()), {code: 'NOT_RESERVED', exit: 3, message: 'reserve it first', next: {command: 'reservation.reserve', itemNo: 1}})
    })

    it('refuses to take back an item that is not lent (exit 3 NOT_LENT)', () => {
      given(registered()).when(giveBack).thenThrows({code: 'NOT_LENT', exit: 3})
    })

    it('ignores events about items it does not know', () => {
      const {state} = given(registered(), reserved(1, tent), rentalStarted(1, tent), rented(1, tent))
      expect(Object.keys(state.items)).toEqual(['1'])
      expect(state.items[1].itemStatus).toBe('Rentable')
    })
  })

  describe('when reserved', () => {
    const history = [registered(), envelope(reserved(1), {correlationId: 'rental-A'})]

    it('is NotRentable and remembers the reservation and its correlation id', () => {
      expect(shown(...history)).toMatchObject({itemStatus: 'NotRentable', rentalStatus: 'NotRenting', reservationNo: 1, bookings: [{reservationNo: 1, from: '0000-01-01', to: null}]})
      expect(bookingsOf(given(...history).state.items[1])[0].correlationId).toBe('rental-A')
    })

    it('asks reservation about its reservation before lending: whether it is paid is for reservation to say', () => {
      expect(lendable(...history)()).toBe(1)
    })

    it('marks itself lent once reservation let the rental begin (RentalStarted → ItemRented)', () => {
      given(...history).whenEvent(rentalStarted(1)).then([{type: 'ItemRented', data: {itemNo: 1, reservationNo: 1}}])
      given(...history).when(lend()).then([{type: 'ItemRented', data: {itemNo: 1, reservationNo: 1}}])
    })

    it('refuses to mark itself lent for a reservation that no longer holds it (exit 3 NOT_RESERVED)', () => {
      given(...history, reservationCancelled(1), reserved(2)).when(lend(1)).thenThrows({code: 'NOT_RESERVED', exit: 3})
      given(...history, reservationCancelled(1), reserved(2)).whenEvent(rentalStarted(1)).thenNothing()
    })

    it('describes the item after the change for the claims sent with a lend or a return', () => {
      const item = given(...history).state.items[1]
      expect(afterRental(item, 'lend', TODAY, 1)).toMatchObject({itemStatus: 'NotRentable', rentalStatus: 'Renting', reservationNo: 1})
      const lent = given(...history, rentalStarted(1), rented(1)).state.items[1]
      expect(afterRental(lent, 'return', TODAY)).toMatchObject({itemStatus: 'Rentable', rentalStatus: 'Returned', reservationNo: 1})
    })

    it('refuses to delete a reserved item without --force (exit 3 ITEM_RESERVED)', () => {
      given(...history).when(remove()).thenThrows({code: 'ITEM_RESERVED', exit: 3, message: 'reservation 1'})
    })

    it('deletes with --force, naming the reservation the saga must cancel', () => {
      given(...history)
        .when(remove(true))
        .then([{type: 'ItemDeleted', data: {itemNo: 1, reservationNo: 1}}])
    })

    it('refuses to take back an item that was never lent (exit 3 NOT_LENT)', () => {
      given(...history).when(giveBack).thenThrows({code: 'NOT_LENT', exit: 3})
    })

    it('becomes Rentable again when the reservation is cancelled, forgetting it', () => {
      expect(shown(...history, reservationCancelled(1))).toMatchObject({itemStatus: 'Rentable', reservationNo: null, bookings: []})
    })

    it('can be reserved again after a cancellation, by the new reservation', () => {
      expect(shown(...history, reservationCancelled(1), reserved(2))).toMatchObject({itemStatus: 'NotRentable', reservationNo: 2})
    })
  })

  describe('when reserved and paid', () => {
    const history = [registered(), reserved(1), paymentApproved(1, 1)]

    it('does not follow payment: a payment changes nothing here', () => {
      expect(given(...history).state.items[1]).toEqual(given(registered(), reserved(1)).state.items[1])
    })

    it('still refuses to delete without --force (exit 3 ITEM_RESERVED)', () => {
      given(...history).when(remove()).thenThrows({code: 'ITEM_RESERVED', exit: 3})
    })

    it('deletes with --force, so the saga cancels and refunds reservation 1', () => {
      given(...history).when(remove(true)).then([{type: 'ItemDeleted', data: {itemNo: 1, reservationNo: 1}}])
    })
  })

  describe('when an older reservation sends late events', () => {
    // reservation 1 was cancelled and reservation 2 holds the item now
    const history = [registered(), reserved(1), reservationCancelled(1), reserved(2)]

    it('ignores a cancellation of the older reservation', () => {
      expect(shown(...history, reservationCancelled(1))).toMatchObject({itemStatus: 'NotRentable', reservationNo: 2})
    })
  })

  describe('when lent', () => {
    const history = [registered(), envelope(reserved(1), {correlationId: 'rental-A'}), rentalStarted(1), rented(1)]

    it('is Renting and keeps the reservation and correlation id', () => {
      expect(shown(...history)).toMatchObject({itemStatus: 'NotRentable', rentalStatus: 'Renting', reservationNo: 1})
      expect(given(...history).state.items[1]).toMatchObject({reservationNo: 1, correlationId: 'rental-A'})
    })

    it('refuses to lend it twice (exit 3 ALREADY_LENT)', () => {
      expectRejection(lendable(...history), {code: 'ALREADY_LENT', exit: 3})
    })

    it('marks it lent once only: a second RentalStarted or lend changes nothing', () => {
      given(...history).whenEvent(rentalStarted(1)).thenNothing()
      given(...history).when(lend()).thenNothing()
    })

    it('refuses to delete a lent item, even with --force (exit 3 ITEM_LENT)', () => {
      given(...history).when(remove()).thenThrows({code: 'ITEM_LENT', exit: 3, message: 'take it back first', next: {command: 'item.return', itemNo: 1}})
      given(...history).when(remove(true)).thenThrows({code: 'ITEM_LENT', exit: 3})
    })

    it('takes it back (ItemReturned for its reservation)', () => {
      given(...history).when(giveBack).then([{type: 'ItemReturned', data: {itemNo: 1, reservationNo: 1, returnedOn: TODAY}}])
    })

    it('stays lent when a cancellation that crossed the lend arrives, so it can still be returned', () => {
      const crossed = given(...history, reservationCancelled(1))
      expect(crossed.state.items[1]).toMatchObject({rentalStatus: 'Renting', reservationNo: 1})
      crossed.when(giveBack).then([{type: 'ItemReturned', data: {itemNo: 1, reservationNo: 1, returnedOn: TODAY}}])
    })
  })

  describe('when returned', () => {
    const history = [registered(), reserved(1), rentalStarted(1), rented(1), returned(1)]

    it('is Rentable and Returned, its reservation forgotten', () => {
      expect(given(...history).state.items[1]).toEqual({
        ...camera,
        itemStatus: 'Rentable',
        rentalStatus: 'Returned',
        reservationNo: null,
        latitude: null,
        longitude: null,
        correlationId: null,
        bookings: [],
      })
    })

    it('refuses to take it back twice (exit 3 NOT_LENT)', () => {
      given(...history).when(giveBack).thenThrows({code: 'NOT_LENT', exit: 3})
    })

    it('refuses to lend it again without a new reservation (exit 3 NOT_RESERVED)', () => {
      expectRejection(lendable(...history), {code: 'NOT_RESERVED', exit: 3})
    })

    it('can be deleted', () => {
      given(...history).when(remove()).then([{type: 'ItemDeleted', data: {itemNo: 1, reservationNo: null}}])
    })

    it('can be rented again through a new reservation', () => {
      given(...history, reserved(2), rentalStarted(2))
        .when(lend(2))
        .then([{type: 'ItemRented', data: {itemNo: 1, reservationNo: 2}}])
    })
  })

  describe('when deleted', () => {
    const history = [registered(), reserved(1), deleted(1)]

    it('is gone, and later events of its reservation change nothing', () => {
      const {state} = given(...history, reservationCancelled(1, camera, 'itemDeleted'))
      expect(state.items).toEqual({})
    })

    it('refuses every command on it (exit 4 ITEM_NOT_FOUND)', () => {
      expectRejection(lendable(...history), {code: 'ITEM_NOT_FOUND', exit: 4})
      given(...history).when(remove(true)).thenThrows({code: 'ITEM_NOT_FOUND', exit: 4})
    })

    it('never reuses its number', () => {
      given(...history)
        .when({type: 'register', itemName: 'Tent', itemPrice: 40})
        .then([{type: 'ItemRegistered', data: {itemNo: 2, itemName: 'Tent', itemPrice: 40}}])
    })
  })

  describe('with dated bookings: statuses are for today', () => {
    const booked = (reservationNo: number, rentFrom: string, rentTo: string | null) =>
      envelope({type: 'Reserved', data: {reservationNo, ...camera, customerName: 'Kim', customerId: 'kim', rentFrom, rentTo}}, {correlationId: `rental-${reservationNo}`})
    const history = [registered(), booked(1, '2026-12-10', '2026-12-12'), booked(2, '2026-12-13', '2026-12-14')]
    const on = (day: string) => publicItem(given(...history).state.items[1], day)

    it('is Rentable before a booking, NotRentable on its days, and Rentable again after: at midnight, with no command', () => {
      expect(on('2026-12-09')).toMatchObject({itemStatus: 'Rentable', reservationNo: null})
      expect(on('2026-12-10')).toMatchObject({itemStatus: 'NotRentable', reservationNo: 1})
      expect(on('2026-12-13')).toMatchObject({itemStatus: 'NotRentable', reservationNo: 2})
      expect(on('2026-12-15')).toMatchObject({itemStatus: 'Rentable', reservationNo: null, bookings: []})
    })

    it('lists its bookings from today on, first first', () => {
      expect(on('2026-12-11').bookings).toEqual([
        {reservationNo: 1, from: '2026-12-10', to: '2026-12-12'},
        {reservationNo: 2, from: '2026-12-13', to: '2026-12-14'},
      ])
      expect(on('2026-12-13').bookings).toEqual([{reservationNo: 2, from: '2026-12-13', to: '2026-12-14'}])
    })

    it('hands over the booking that covers today, and refuses before its first day (TOO_EARLY)', () => {
      expect(checkLendable(given(...history).state, 1, '2026-12-13')).toMatchObject({reservationNo: 2, correlationId: 'rental-2'})
      expectRejection(() => checkLendable(given(...history).state, 1, '2026-12-08'), {code: 'TOO_EARLY', exit: 3, message: 'its next, reservation 1, starts on 2026-12-10'})
    })

    it('stays lent past its last day until returned, and a delete needs force while any booking lives', () => {
      const lent = [...history, rentalStarted(1), rented(1)]
      expect(publicItem(given(...lent).state.items[1], '2026-12-20')).toMatchObject({itemStatus: 'NotRentable', rentalStatus: 'Renting', reservationNo: 1})
      given(...history).when(remove()).thenThrows({code: 'ITEM_RESERVED', exit: 3, message: 'reservations 1, 2'})
      given(...history).when(remove(true)).then([{type: 'ItemDeleted', data: {itemNo: 1, reservationNo: 1}}])
    })
  })
})