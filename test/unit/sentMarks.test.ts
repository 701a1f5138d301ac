import {describe, expect, it} from 'vitest'

import {REORDER_WINDOW, SentMarks} from '../../src/events/sentMarks.js'

const item = (seq: number) => ({source: 'item', seq})

describe("an event stream's dedupe: a high-water mark per source, not every id (issue 16, point 6)", () => {
  it('sends each event once: a repeat is skipped, and sources count apart', () => {
    const sent = new SentMarks()
    expect(sent.fresh(item(1))).toBe(true)
    expect(sent.fresh(item(1))).toBe(false)
    expect(sent.fresh({source: 'payment', seq: 1})).toBe(true)
    expect(sent.fresh(item(2))).toBe(true)
  })

  it('skips what a history covered, also below events the limit left out of it', () => {
    const sent = new SentMarks()
    sent.coveredUpTo('item', 7) // the history ended at item 7 (with limit, only its last few were sent)
    expect([3, 7, 8, 7, 9].map((seq) => sent.fresh(item(seq)))).toEqual([false, false, true, false, true])
  })

  it('takes an event that arrives out of order within the relay’s window, and a late repeat of it not again', () => {
    const sent = new SentMarks()
    expect(sent.fresh(item(12))).toBe(true)
    expect(sent.fresh(item(10))).toBe(true) // crossed 12 on the way
    expect(sent.fresh(item(11))).toBe(true)
    expect(sent.fresh(item(10))).toBe(false)
    expect(sent.fresh(item(12 + REORDER_WINDOW))).toBe(true)
    expect(sent.fresh(item(11))).toBe(false) // far below the newest: a repeat from before the window
  })

  it('remembers at most twice the window per source, however long the stream runs', () => {
    const sent = new SentMarks()
    for (let seq = 1; seq <= 200_000; seq++) for (const source of ['item', 'reservation', 'payment']) sent.fresh({source, seq})
    expect(sent.size).toBeLessThanOrEqual(3 * 2 * REORDER_WINDOW)
    expect(sent.fresh(item(200_000))).toBe(false)
    expect(sent.fresh(item(200_001))).toBe(true)
  })
})
