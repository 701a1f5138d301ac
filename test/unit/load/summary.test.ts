import {describe, expect, it} from 'vitest'

import {loadTextWidth} from '../../../src/cli/textWidth.js'
import {percentile} from '../../../src/load/percentile.js'
import {loadReport, progressLine} from '../../../src/load/report.js'
import {availability, Tally, withoutRecordNumbers} from '../../../src/load/summary.js'

await loadTextWidth() // as GdCommand's init does for people's output

const mix = {rental: 70, cancel: 30}
const facts = {elapsedMs: 2000, cyclesStarted: 0, concurrent: 4, mix, interrupted: false, abandoned: 0}
const timeout = {exit: 5, code: 'TIMEOUT', message: 'the payment service did not answer within 5000 ms'}

describe('nearest-rank percentiles', () => {
  const oneToHundred = Array.from({length: 100}, (_, i) => i + 1)

  it('is the sample at rank ⌈p/100 · n⌉, never an interpolation', () => {
    expect(percentile(oneToHundred, 50)).toBe(50)
    expect(percentile(oneToHundred, 95)).toBe(95)
    expect(percentile(oneToHundred, 99)).toBe(99)
    expect(percentile([1, 2, 3, 4], 50)).toBe(2)
    expect(percentile([10, 20, 30], 50)).toBe(20)
  })

  it('makes p95 and p99 of a few samples the slowest one', () => {
    const twenty = Array.from({length: 20}, (_, i) => i + 1)
    expect(percentile(twenty, 95)).toBe(19)
    expect(percentile(twenty, 99)).toBe(20)
    expect(percentile([7], 50)).toBe(7)
    expect(percentile([7], 99)).toBe(7)
  })

  it('has none of no samples', () => {
    expect(percentile([], 50)).toBeUndefined()
  })
})

describe('availability', () => {
  it('is successful / all transactions in percent, 2 decimals', () => {
    expect(availability(10, 10)).toBe(100)
    expect(availability(57, 100)).toBe(57)
    expect(availability(2, 3)).toBe(66.66)
  })

  it('rounds down, so 100.00 % always means not one failure', () => {
    expect(availability(19_999, 20_000)).toBe(99.99)
    expect(availability(199_999, 200_000)).toBe(99.99)
  })

  it('is 0 when nothing ran', () => {
    expect(availability(0, 0)).toBe(0)
  })
})

describe('the tally of a run', () => {
  it('counts every command as a transaction and gives each command its count and percentiles', () => {
    const tally = new Tally()
    for (const ms of [1, 2, 3, 4]) tally.record('item register', ms)
    tally.record('pay', 12.34)
    tally.record('pay', 5000.04, timeout)
    tally.cycleEnded(true)
    tally.cycleEnded(false)
    const s = tally.summary({...facts, cyclesStarted: 3})
    expect(s).toMatchObject({transactions: 6, successful: 5, failed: 1, availability: 83.33, elapsedMs: 2000, rate: 3, cycles: 1, cyclesFailed: 1, cyclesCut: 1})
    expect(s.latency).toEqual({
      'item register': {count: 4, failed: 0, p50: 2, p95: 4, p99: 4},
      pay: {count: 2, failed: 1, p50: 12.3, p95: 5000, p99: 5000},
    })
    const perCommand = Object.values(s.latency).reduce((sum, l) => sum + l.count, 0)
    expect(perCommand).toBe(s.transactions)
  })

  it('groups failures by exit code, code and message, the most frequent first', () => {
    const tally = new Tally()
    const declined = {exit: 3, code: 'DECLINED', message: 'payment declined'}
    tally.record('pay', 1, declined)
    tally.record('pay', 1, timeout)
    tally.record('lend', 1, timeout)
    tally.record('pay', 1, {...timeout, message: 'the item service did not answer within 5000 ms'})
    expect(tally.summary(facts).failures).toEqual([
      {...timeout, count: 2},
      {...declined, count: 1},
      {exit: 5, code: 'TIMEOUT', message: 'the item service did not answer within 5000 ms', count: 1},
    ])
  })

  it('counts the same failure of different cycles as one kind: record numbers are masked, deadlines kept', () => {
    const tally = new Tally()
    for (const n of [87, 88]) {
      tally.record('pay', 610, {exit: 5, code: 'PAYMENT_TIMEOUT', message: `payment system busy (no answer within 610 ms) for reservation ${n}; try again later`})
    }
    expect(tally.summary(facts).failures).toEqual([
      {exit: 5, code: 'PAYMENT_TIMEOUT', message: 'payment system busy (no answer within 610 ms) for reservation N; try again later', count: 2},
    ])
    expect(withoutRecordNumbers('item 12 has no reservation; reserve it with `gdmarket reserve 12 --customer NAME`')).toBe(
      'item N has no reservation; reserve it with `gdmarket reserve N --customer NAME`',
    )
    expect(withoutRecordNumbers('reservation 3 is not paid; pay with `gdmarket pay 3`')).toBe('reservation N is not paid; pay with `gdmarket pay N`')
    expect(withoutRecordNumbers('payment declined: 10 is above the limit of 5 (setting paymentLimit)')).toBe(
      'payment declined: 10 is above the limit of 5 (setting paymentLimit)',
    )
  })

  it('reports the run itself: workers, mix, and whether it was interrupted', () => {
    const s = new Tally().summary({...facts, interrupted: true, abandoned: 3})
    expect(s).toMatchObject({transactions: 0, availability: 0, rate: 0, concurrent: 4, mix: 'rental=70,cancel=30', interrupted: true, abandoned: 3})
  })
})

describe('the report for people', () => {
  const tally = new Tally()
  tally.record('item register', 1.25)
  tally.record('pay', 3, timeout)
  tally.cycleEnded(false)
  const text = loadReport(tally.summary({...facts, cyclesStarted: 1}))

  it('shows the totals like siege, then latency per command, then the failures', () => {
    expect(text).toContain('Transactions:      2 (1 succeeded, 1 failed)')
    expect(text).toContain('Availability:      50.00 %')
    expect(text).toContain('Elapsed time:      2.00 s')
    expect(text).toContain('Transaction rate:  1.00 /s')
    expect(text).toContain('Cycles:            0 completed, 1 ended by a failure (mix rental=70,cancel=30)')
    expect(text).toMatch(/│ item register │ 1 +│ 0 +│ 1\.3 +│ 1\.3 +│ 1\.3 +│/)
    expect(text).toMatch(/│ 5 +│ TIMEOUT │ the payment service did not answer within 5000 ms │ 1 +│/)
    expect(text.indexOf('item register')).toBeLessThan(text.indexOf('Failures:'))
  })

  it('says how many cycles the end of the run cut short', () => {
    const cut = new Tally()
    cut.cycleEnded(true)
    expect(loadReport(cut.summary({...facts, cyclesStarted: 5}))).toContain('Cycles:            1 completed, 0 ended by a failure, 4 cut short by the end of the run')
  })

  it('has no failure table when nothing failed', () => {
    const ok = new Tally()
    ok.record('reserve', 1)
    expect(loadReport(ok.summary(facts))).not.toContain('Failures')
  })

  it('says when it was interrupted and what was left unanswered', () => {
    expect(loadReport(new Tally().summary({...facts, interrupted: true, abandoned: 2}))).toContain('Interrupted: stopped early; 2 request(s) in flight abandoned, not counted')
  })
})

describe('the progress line', () => {
  const p = {elapsedMs: 1500, transactions: 42, failed: 1, cycles: 8}
  it('shows time against the duration, or cycles against the goal', () => {
    expect(progressLine(p, {durationMs: 10_000})).toBe('load: 1.50 s / 10.00 s  42 transactions  1 failed  8 cycles')
    expect(progressLine(p, {cycles: 20})).toBe('load: 1.50 s  42 transactions  1 failed  8/20 cycles')
  })
})
