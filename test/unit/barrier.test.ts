import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'

import {BARRIER_MS, CausalBarrier} from '../../src/runtime/barrier.js'

/** A barrier over counters the test moves by hand. */
function barrierOver() {
  const applied: Record<string, number> = {item: 0, payment: 0}
  const barrier = new CausalBarrier({
    service: 'reservation',
    sources: ['item', 'payment'],
    appliedUpTo: (s) => applied[s] ?? 0,
  })
  const apply = (source: string, seq: number) => {
    applied[source] = seq
    barrier.wake()
  }
  return {barrier, apply}
}

const state = async (p: Promise<unknown>) =>
  Promise.race([p.then(() => 'done', (e: {code?: string}) => `refused ${e.code}`), new Promise((r) => setImmediate(() => r('waiting')))])

describe('causal barrier (the gateway frontier)', () => {
  beforeEach(() => void vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']}))
  afterEach(() => void vi.useRealTimers())

  it('lets a request through at once when its frontier is already applied, or it has none', async () => {
    const {barrier, apply} = barrierOver()
    apply('item', 4)
    expect(await state(barrier.caughtUp({item: 4, payment: 0}))).toBe('done')
    expect(await state(barrier.caughtUp(undefined))).toBe('done')
  })

  it('waits until every followed source is applied up to the frontier', async () => {
    const {barrier, apply} = barrierOver()
    const waiting = barrier.caughtUp({item: 3, payment: 2})
    expect(await state(waiting)).toBe('waiting')
    apply('item', 3)
    expect(await state(waiting)).toBe('waiting')
    apply('payment', 2)
    expect(await state(waiting)).toBe('done')
  })

  it('ignores sources it does not follow', async () => {
    const {barrier} = barrierOver()
    expect(await state(barrier.caughtUp({reservation: 9}))).toBe('done')
  })

  it('refuses after BARRIER_MS (503 CATCHING_UP) rather than answer on older facts: a missing event never holds a request for good', async () => {
    const {barrier} = barrierOver()
    const waiting = barrier.caughtUp({item: 7})
    expect(await state(waiting)).toBe('waiting')
    vi.advanceTimersByTime(BARRIER_MS)
    expect(await state(waiting)).toBe('refused CATCHING_UP')
    await expect(waiting).rejects.toThrow("the reservation service has not yet applied item's latest events")
  })

  it('waits as long as it is told to, when the caller waits longer', async () => {
    const {barrier, apply} = barrierOver()
    const waiting = barrier.caughtUp({item: 7}, 3 * BARRIER_MS)
    vi.advanceTimersByTime(2 * BARRIER_MS)
    expect(await state(waiting)).toBe('waiting')
    apply('item', 7)
    expect(await state(waiting)).toBe('done')
  })
})
