import {describe, expect, it} from 'vitest'

import {runWorkers} from '../../../src/load/runner.js'
import {FakeMarket} from '../wizard/fakeMarket.js'

const mix = {rental: 70, cancel: 30}

describe('load workers (against an in-memory market)', () => {
  it('runs exactly --cycles cycles, each command one transaction, in the proportions of the mix', async () => {
    const market = new FakeMarket()
    const s = await runWorkers(market, {concurrent: 4, mix, cycles: 20})
    expect(s).toMatchObject({transactions: 14 * 5 + 6 * 4, failed: 0, availability: 100, cycles: 20, cyclesFailed: 0, cyclesCut: 0, interrupted: false})
    expect(Object.fromEntries(Object.entries(s.latency).map(([command, l]) => [command, l.count]))).toEqual({
      'item register': 20,
      reserve: 20,
      pay: 20,
      lend: 14,
      return: 14,
      'reservation cancel': 6,
    })
    const statuses = (await market.reservations()).map((r) => r.reservationStatus)
    expect(statuses.filter((st) => st === 'Completed')).toHaveLength(14)
    expect(statuses.filter((st) => st === 'Cancelled')).toHaveLength(6)
  })

  it('ends a cycle at its failed command and starts the next one', async () => {
    const market = new FakeMarket()
    market.paymentLimit = 5 // every cycle's item costs 10: each pay is declined
    const s = await runWorkers(market, {concurrent: 2, mix: {rental: 1, cancel: 0}, cycles: 4})
    expect(s).toMatchObject({transactions: 12, failed: 4, availability: 66.66, cycles: 0, cyclesFailed: 4})
    expect(s.latency.lend).toBeUndefined()
    expect(s.failures).toEqual([{exit: 3, code: 'DECLINED', message: expect.stringContaining('declined'), count: 4}])
  })

  it('stops starting commands when the duration is up', async () => {
    const s = await runWorkers(new FakeMarket(), {concurrent: 2, mix, durationMs: 20})
    expect(s.transactions).toBeGreaterThan(0)
    expect(s.failed).toBe(0)
    expect(s.interrupted).toBe(false)
  })

  it('on interrupt stops at once, abandons what is in flight and keeps what ran', async () => {
    const market = new FakeMarket()
    market.pay = () => new Promise(() => {}) // the payment service never answers
    const interrupt = new AbortController()
    const run = runWorkers(market, {concurrent: 3, mix, cycles: 100, signal: interrupt.signal})
    setTimeout(() => interrupt.abort(), 20)
    const s = await run
    expect(s).toMatchObject({transactions: 6, failed: 0, interrupted: true, abandoned: 3, cycles: 0, cyclesCut: 3})
    expect(s.latency.reserve?.count).toBe(3)
  })

  it('stops every worker and throws when a cycle breaks on something other than a failed command', async () => {
    const market = new FakeMarket()
    market.lend = async () => {
      throw new TypeError('a bug') // not a GdError from the stack: still a failed transaction, it ends its cycle
    }
    const s = await runWorkers(market, {concurrent: 2, mix: {rental: 1, cancel: 0}, cycles: 2})
    expect(s.failures).toEqual([{exit: 5, code: 'CONNECTION', message: 'a bug', count: 2}])

    const broken = new FakeMarket()
    broken.register = async () => undefined as never // a reply without the item: reading itemNo throws
    await expect(runWorkers(broken, {concurrent: 3, mix, cycles: 50})).rejects.toThrow(TypeError)
    expect(broken.log.filter(([name]) => name === 'reserve')).toEqual([])
  })
})
