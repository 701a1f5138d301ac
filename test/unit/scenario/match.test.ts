import {describe, expect, it} from 'vitest'

import {describeMismatch, match} from '../../../src/scenario/match.js'

const matches = (expected: unknown, actual: unknown) => match(expected, actual).length === 0
const why = (expected: unknown, actual: unknown) => describeMismatch(match(expected, actual))

describe('matching a command output (docs/scenarios.md)', () => {
  describe('objects', () => {
    it('match when every expected key matches; other keys are ignored', () => {
      expect(matches({itemStatus: 'Rentable'}, {itemNo: 1, itemStatus: 'Rentable', rentalStatus: 'NotRenting'})).toBe(true)
      expect(matches({}, {itemNo: 1})).toBe(true)
    })

    it('fail on a different value, naming the key, what was expected and what came', () => {
      expect(why({itemStatus: 'NotRentable'}, {itemStatus: 'Rentable'})).toBe('itemStatus: expected "NotRentable", got "Rentable"')
    })

    it('fail on a missing key, saying it is not there', () => {
      expect(why({reservationNo: 1}, {itemNo: 1})).toBe('reservationNo: expected 1, got nothing (no reservationNo in the output)')
    })

    it('match nested objects partially and name the nested path', () => {
      expect(matches({error: {code: 'NOT_PAID'}}, {error: {code: 'NOT_PAID', message: 'item 1 is not paid'}})).toBe(true)
      expect(why({error: {code: 'NOT_PAID'}}, {error: {code: 'NOT_FOUND', message: '…'}})).toBe('error.code: expected "NOT_PAID", got "NOT_FOUND"')
    })

    it('fail when the output is not an object', () => {
      expect(why({itemNo: 1}, [{itemNo: 1}])).toBe('expected an object, got [{"itemNo":1}]')
    })
  })

  describe('lists', () => {
    const view = [
      {itemNo: 1, itemStatus: 'Rentable'},
      {itemNo: 2, itemStatus: 'NotRentable', customerName: 'Young'},
    ]

    it('match when every expected element matches some element, in any order', () => {
      expect(matches([{itemNo: 2, itemStatus: 'NotRentable'}], view)).toBe(true)
      expect(matches([{itemNo: 2}, {itemNo: 1}], view)).toBe(true)
      expect(matches([], view)).toBe(true)
    })

    it('fail when one expected element matches none, explained by the closest element', () => {
      expect(why([{itemNo: 1, itemStatus: 'NotRentable'}], view)).toBe(
        'no element matches {"itemNo":1,"itemStatus":"NotRentable"}; closest: [0].itemStatus: expected "NotRentable", got "Rentable"',
      )
    })

    it('fail on an empty list, saying so', () => {
      expect(why([{itemNo: 1}], [])).toBe('no element matches {"itemNo":1}: the list is empty')
    })

    it('fail when the output is not a list', () => {
      expect(why([{itemNo: 1}], {itemNo: 1})).toBe('expected a list, got {"itemNo":1}')
    })

    it('match lists of scalars order-free too', () => {
      expect(matches(['b', 'a'], ['a', 'b', 'c'])).toBe(true)
      expect(matches(['d'], ['a', 'b'])).toBe(false)
    })
  })

  describe('scalars', () => {
    it('match by value as text: "7" matches 7, and 7 matches "7"', () => {
      expect(matches('7', 7)).toBe(true)
      expect(matches({itemNo: '7'}, {itemNo: 7})).toBe(true)
      expect(matches(7, '7')).toBe(true)
      expect(matches('true', true)).toBe(true)
    })

    it('do not match a different value', () => {
      expect(matches('7', 70)).toBe(false)
      expect(matches(100, 10)).toBe(false)
    })

    it('null matches only null', () => {
      expect(matches({reservationNo: null}, {reservationNo: null})).toBe(true)
      expect(matches({reservationNo: null}, {reservationNo: 1})).toBe(false)
      expect(matches({reservationNo: 'null'}, {reservationNo: null})).toBe(false)
      expect(matches({reservationNo: null}, {})).toBe(false)
    })

    it('never match an object or a list', () => {
      expect(why('x', {a: 1})).toBe('expected "x", got {"a":1}')
      expect(matches('', [])).toBe(false)
    })
  })
})
