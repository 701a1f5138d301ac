import {describe, expect, it} from 'vitest'

import {hasApplied, recordApplied, type Inbox} from '../../src/store/inbox.js'

const recordAll = (inbox: Inbox, source: string, seqs: number[]) =>
  seqs.reduce((next, seq) => recordApplied(next, source, seq), inbox)

describe('inbox', () => {
  describe('when empty', () => {
    it('has applied nothing', () => {
      expect(hasApplied({}, 'item', 1)).toBe(false)
    })
  })

  describe('when events arrive in order', () => {
    const inbox = recordAll({}, 'item', [1, 2, 3])

    it('keeps only the high-water mark', () => {
      expect(inbox).toEqual({item: {upTo: 3, above: []}})
    })

    it('recognises every applied seq, and no later one', () => {
      expect([1, 2, 3].map((seq) => hasApplied(inbox, 'item', seq))).toEqual([true, true, true])
      expect(hasApplied(inbox, 'item', 4)).toBe(false)
    })

    it('keeps sources apart', () => {
      expect(hasApplied(inbox, 'payment', 1)).toBe(false)
      expect(recordApplied(inbox, 'payment', 1)).toEqual({item: {upTo: 3, above: []}, payment: {upTo: 1, above: []}})
    })
  })

  describe('when events arrive with a gap', () => {
    const inbox = recordAll({}, 'reservation', [1, 4, 3])

    it('remembers the seqs above the gap', () => {
      expect(inbox).toEqual({reservation: {upTo: 1, above: [3, 4]}})
      expect(hasApplied(inbox, 'reservation', 4)).toBe(true)
      expect(hasApplied(inbox, 'reservation', 2)).toBe(false)
    })

    it('closes the gap when the missing seq arrives', () => {
      expect(recordApplied(inbox, 'reservation', 2)).toEqual({reservation: {upTo: 4, above: []}})
    })
  })

  describe('when an event is redelivered', () => {
    it('returns the very same inbox (nothing to store)', () => {
      const inbox = recordAll({}, 'item', [1, 2, 5])
      expect(recordApplied(inbox, 'item', 2)).toBe(inbox)
      expect(recordApplied(inbox, 'item', 5)).toBe(inbox)
    })
  })

  it('never changes the inbox it is given', () => {
    const inbox: Inbox = {item: {upTo: 1, above: [3]}}
    recordApplied(inbox, 'item', 2)
    recordApplied(inbox, 'item', 5)
    expect(inbox).toEqual({item: {upTo: 1, above: [3]}})
  })
})
