import {describe, expect, it} from 'vitest'

import {retryWithin, type Clock} from '../../../src/scenario/within.js'

/** A clock that moves only when the code under test sleeps, or when a try takes time. */
function fakeClock(): Clock & {sleeps: number[]; advance(ms: number): void} {
  let now = 0
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => now,
    advance: (ms) => (now += ms),
    sleep: async (ms) => {
      sleeps.push(ms)
      now += ms
    },
  }
}

/** A step that fails until try number `passOn` (never when undefined); each try takes `costMs`. */
function tries(clock: ReturnType<typeof fakeClock>, {passOn, costMs = 0}: {passOn?: number; costMs?: number}) {
  const at: number[] = []
  const attempt = async () => {
    at.push(clock.now())
    clock.advance(costMs)
    return {ok: passOn !== undefined && at.length >= passOn}
  }
  return {attempt, at}
}

describe('within: retry until it matches or time is up', () => {
  it('without within a step is tried once, pass or fail', async () => {
    const clock = fakeClock()
    const step = tries(clock, {})
    const tried = await retryWithin(step.attempt, undefined, {clock})
    expect(tried).toMatchObject({result: {ok: false}, tries: 1})
    expect(clock.sleeps).toEqual([])
  })

  it('a step that passes at once is not tried again', async () => {
    const clock = fakeClock()
    const step = tries(clock, {passOn: 1})
    expect(await retryWithin(step.attempt, 3000, {clock})).toMatchObject({result: {ok: true}, tries: 1})
  })

  it('a step that comes right in time passes, after as many tries as it took', async () => {
    const clock = fakeClock()
    const step = tries(clock, {passOn: 4, costMs: 300})
    const tried = await retryWithin(step.attempt, 3000, {clock, intervalMs: 100})
    expect(tried).toMatchObject({result: {ok: true}, tries: 4})
    expect(step.at).toEqual([0, 400, 800, 1200]) // each try 300 ms, then a 100 ms pause
  })

  it('a step that never comes right fails once the time is up, with a last try at the deadline', async () => {
    const clock = fakeClock()
    const step = tries(clock, {})
    const tried = await retryWithin(step.attempt, 1000, {clock, intervalMs: 300})
    expect(tried.result.ok).toBe(false)
    expect(step.at).toEqual([0, 300, 600, 900, 1000]) // the last pause is cut to end at the deadline
    expect(tried).toMatchObject({tries: 5, elapsedMs: 1000})
  })

  it('a try that runs past the deadline is the last one', async () => {
    const clock = fakeClock()
    const step = tries(clock, {costMs: 700})
    const tried = await retryWithin(step.attempt, 1000, {clock, intervalMs: 100})
    expect(step.at).toEqual([0, 800])
    expect(tried).toMatchObject({tries: 2, elapsedMs: 1500})
  })

  it('stops when interrupted (Ctrl-C) instead of trying on', async () => {
    const clock = fakeClock()
    const interrupt = new AbortController()
    let count = 0
    const attempt = async () => {
      if (++count === 2) interrupt.abort(new Error('interrupted'))
      return {ok: false}
    }
    await expect(retryWithin(attempt, 10_000, {clock, signal: interrupt.signal})).rejects.toThrow('interrupted')
    expect(count).toBe(2)
  })
})
