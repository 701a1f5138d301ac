import {describe, expect, it} from 'vitest'

import {checkLendable, decideItem, findItem, reactItem, type ItemCommand} from '../../src/services/item/decide.js'
import {afterRental, evolveItem, initialItemState, publicItem, type ItemState} from '../../src/services/item/item.js'
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
const lendable = (...history: Parameters<typeof given>) => () => checkLendable(given(...history).state, camera.itemNo)
const giveBack = {type: 'return', itemNo: camera.itemNo} as const
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
      expect(publicItem(findItem(state, 1))).toEqual({
        itemNo: 1,
        itemName: 'Camera',
        itemPrice: 100,
        itemStatus: 'Rentable',
        rentalStatus: 'NotRenting',
        reservationNo: null,
        latitude: null,
        longitude: null,
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
      const item = given(...history).state.items[1]
      expect(item).toMatchObject({itemStatus: 'NotRentable', reservationNo: 1, correlationId: 'rental-A'})
      expect(item.rentalStatus).toBe('NotRenting')
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
      expect(afterRental(item, 'lend')).toMatchObject({itemStatus: 'NotRentable', rentalStatus: 'Renting', reservationNo: 1})
      expect(afterRental(item, 'return')).toMatchObject({itemStatus: 'Rentable', rentalStatus: 'Returned', reservationNo: 1})
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
      const item = given(...history, reservationCancelled(1)).state.items[1]
      expect(item).toMatchObject({itemStatus: 'Rentable', reservationNo: null, correlationId: null})
    })

    it('can be reserved again after a cancellation, by the new reservation', () => {
      const item = given(...history, reservationCancelled(1), reserved(2)).state.items[1]
      expect(item).toMatchObject({itemStatus: 'NotRentable', reservationNo: 2})
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
      const item = given(...history, reservationCancelled(1)).state.items[1]
      expect(item).toMatchObject({itemStatus: 'NotRentable', reservationNo: 2})
    })
  })

  describe('when lent', () => {
    const history = [registered(), envelope(reserved(1), {correlationId: 'rental-A'}), rentalStarted(1), rented(1)]

    it('is Renting and keeps the reservation and correlation id', () => {
      expect(given(...history).state.items[1]).toMatchObject({
        itemStatus: 'NotRentable',
        rentalStatus: 'Renting',
        reservationNo: 1,
        correlationId: 'rental-A',
      })
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
      given(...history).when(giveBack).then([{type: 'ItemReturned', data: {itemNo: 1, reservationNo: 1}}])
    })

    it('stays lent when a cancellation that crossed the lend arrives, so it can still be returned', () => {
      const crossed = given(...history, reservationCancelled(1))
      expect(crossed.state.items[1]).toMatchObject({rentalStatus: 'Renting', reservationNo: 1})
      crossed.when(giveBack).then([{type: 'ItemReturned', data: {itemNo: 1, reservationNo: 1}}])
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
})
