import {describe, expect, it} from 'vitest'

import {CausalBarrier, PositionProbe} from '../../src/runtime/barrier.js'

/** A question whose answers the test gives by hand, one per question asked. */
function manualQuestion() {
  const asked: {at: number; answer: (seq: number | undefined) => void; fail: (error: Error) => void}[] = []
  let clock = 0
  return {
    asked,
    tick: () => ++clock,
    question: () => new Promise<number | undefined>((answer, fail) => asked.push({at: clock, answer, fail})),
  }
}

const settle = () => new Promise((resolve) => setImmediate(resolve))

describe('position probe', () => {
  it('asks once while a question is out; callers meanwhile share the next question, asked after they came', async () => {
    const q = manualQuestion()
    const probe = new PositionProbe(q.question)
    const first = probe.ask()
    q.tick()
    const later = [probe.ask(), probe.ask(), probe.ask()]
    expect(q.asked).toHaveLength(1)

    q.asked[0].answer(5)
    expect(await first).toBe(5)
    await settle()
    expect(q.asked).toHaveLength(2)
    expect(q.asked[1].at).toBe(1) // asked after the three callers came, not before
    q.asked[1].answer(7)
    expect(await Promise.all(later)).toEqual([7, 7, 7])
  })

  it('a question that fails answers undefined, and the next caller asks again', async () => {
    const q = manualQuestion()
    const probe = new PositionProbe(q.question)
    const failing = probe.ask()
    q.asked[0].fail(new Error('no answer'))
    expect(await failing).toBeUndefined()
    const next = probe.ask()
    expect(q.asked).toHaveLength(2)
    q.asked[1].answer(3)
    expect(await next).toBe(3)
  })
})

describe('causal barrier', () => {
  it('waits until the source position is applied, and skips a source that is offline', async () => {
    const applied: Record<string, number> = {item: 0, payment: 0}
    const asked: string[] = []
    const barrier = new CausalBarrier({
      sources: ['item', 'payment'],
      isOnline: (source) => source === 'item',
      appliedUpTo: (source) => applied[source],
      askPosition: async (source) => (asked.push(source), 2),
    })
    let passed = false
    const waiting = barrier.caughtUp().then(() => (passed = true))
    await settle()
    expect(asked).toEqual(['item'])
    applied.item = 1
    barrier.wake()
    await settle()
    expect(passed).toBe(false)
    applied.item = 2
    barrier.wake()
    await waiting
    expect(passed).toBe(true)
  })

  it('passes at once when the source has nothing newer than what is applied', async () => {
    const barrier = new CausalBarrier({
      sources: ['item'],
      isOnline: () => true,
      appliedUpTo: () => 4,
      askPosition: async () => 4,
    })
    await expect(barrier.caughtUp()).resolves.toBeUndefined()
  })
})
