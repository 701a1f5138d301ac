// @ts-check
/**
 * Growth: rental cycles with 1k, 10k, 100k… items in the stores. One stack grows from size to
 * size; its items are registered through the real stack (concurrent `item register` requests
 * over MQTT), so every store — item's, and the copies in reservation's and view's — holds them,
 * and seeding waits until every store has applied them before anything is measured.
 */
import {runCycles} from './cycles.mjs'
import {placeOf, timeNearSearch} from './nearby.mjs'
import {progress} from './progress.mjs'
import {BenchStack} from './stacks.mjs'
import {Latencies, round} from './stats.mjs'

/** register requests in flight while seeding */
const SEED_IN_FLIGHT = 32
/** cycles run (not counted) before each size's measurement */
const WARMUP_MS = 1000
/** how long the stores may take to catch up once a measurement's or a budget's time is up */
const SETTLE_MS = 120_000

/**
 * @param {{sizes: number[], seedBudgetMs: number, durationMs: number, concurrency: number, env: Record<string, string>}} plan
 * @param {(stack: BenchStack) => void} onUp sees the stack once it is up (its start is a sample too)
 */
export async function measureGrowth({sizes, seedBudgetMs, durationMs, concurrency, env}, onUp) {
  const stack = await BenchStack.up('growth', {env})
  onUp(stack)
  const results = []
  /** @type {string | null} why the larger sizes are left out */
  let stopped = null
  try {
    let items = 0
    const bus = stack.bus
    const market = stack.market
    /** every item a measured cycle registers counts too */
    const rentals = {
      ...market,
      register: async (/** @type {{itemName: string, itemPrice: number}} */ item) => {
        const registered = await market.register(item)
        items = Math.max(items, registered.itemNo)
        return registered
      },
      // the read side can lag far behind a big store (each event costs it more): wait long
      settled: () => bus.settled(SETTLE_MS),
    }
    for (const size of sizes) {
      if (stopped) {
        results.push({size, items: null, seeded: false, note: stopped})
        continue
      }
      const seed = await seedTo(stack, size, items, seedBudgetMs)
      items = seed.items
      if (!seed.settled) {
        stopped = `skipped: ${seed.note}`
        results.push({size, items, seeded: false, seedMs: round(seed.ms, 0), note: seed.note})
        continue
      }
      if (!seed.complete) stopped = `skipped: seeding ${size} items ${seed.note}`
      // as in the side-by-side section: a moment of cycles first, not counted, so the figures are
      // of the stack at work and not of its first JIT compilations
      await runCycles(rentals, {concurrency, durationMs: WARMUP_MS, latencies: new Latencies(), label: `warmup${size}`})
      const latencies = new Latencies()
      progress(`growth: rental cycles with ${items} items, concurrency ${concurrency}, ${durationMs} ms`)
      let run
      try {
        run = await runCycles(rentals, {concurrency, durationMs, latencies, label: `growth${size}`})
      } catch (error) {
        const note = `measuring with ${seed.items} items failed: ${/** @type {Error} */ (error).message}`
        progress(`growth: ${note}`)
        results.push({size, items: seed.items, seeded: seed.complete, seedMs: round(seed.ms, 0), note})
        stopped = `skipped: ${note}`
        continue
      }
      progress(`growth: a search near a place (2 km) with ${items} items`)
      const near = await timeNearSearch(stack.gateway)
      results.push({
        size,
        items: seed.items,
        seeded: seed.complete,
        seedMs: round(seed.ms, 0),
        seedPerSec: round(seed.perSec, 0),
        near,
        ...(seed.complete ? {} : {note: `measured at ${seed.items} items: ${seed.note}`}),
        concurrency,
        cycles: run.cycles,
        failures: run.failures,
        ...(run.failures ? {failureCodes: run.failureCodes} : {}),
        cyclesPerSec: round((run.cycles / run.elapsedMs) * 1000),
        commands: latencies.summary(),
      })
    }
  } finally {
    await stack.stop()
  }
  return {concurrency, seedBudgetMs, durationMs, seedInFlight: SEED_IN_FLIGHT, sizes: results}
}

/**
 * Registers items until the stack holds `target`, or the budget is spent; then waits (within the
 * budget, or SETTLE_MS more once it is spent) until every store has applied them.
 * @param {BenchStack} stack @param {number} target @param {number} have @param {number} budgetMs
 */
async function seedTo(stack, target, have, budgetMs) {
  const {bus} = stack
  const began = performance.now()
  const deadline = began + budgetMs
  let next = have
  let done = have
  let lastNote = began
  /** @type {unknown} */
  let failure = null
  progress(`growth: seeding ${target - have} items (to ${target}) with ${SEED_IN_FLIGHT} registers in flight, budget ${budgetMs / 1000} s`)
  const worker = async () => {
    while (next < target && performance.now() < deadline && !failure) {
      next++
      try {
        const {itemNo} = await stack.market.register({itemName: `seed ${next}`, itemPrice: 10, ...placeOf(next)})
        done = Math.max(done, itemNo)
      } catch (error) {
        failure ??= error
      }
      const now = performance.now()
      if (now - lastNote >= 2000) {
        lastNote = now
        const rate = (done - have) / ((now - began) / 1000)
        progress(`growth: ${done} of ${target} items (${Math.round(rate)}/s), ${Math.round((now - began) / 1000)} s of ${budgetMs / 1000} s budget`)
      }
    }
  }
  await Promise.all(Array.from({length: SEED_IN_FLIGHT}, worker))
  const seededMs = performance.now() - began
  const complete = done >= target && !failure
  /** @type {string} */
  let note = ''
  if (failure) note = `failed at ${done} items: ${/** @type {Error} */ (failure).message}`
  else if (!complete) note = `gave up: ${done} of ${target} items after the ${budgetMs / 1000} s budget (--seed-budget)`
  if (note) progress(`growth: ${note}`)
  // the reservation's and view's copies lag behind item's replies: measure only once they are in
  let settled = true
  try {
    await bus.settled(Math.max(deadline - performance.now(), SETTLE_MS))
  } catch (error) {
    settled = false
    note = `${note ? note + '; ' : ''}the stores did not catch up with ${done} items: ${/** @type {Error} */ (error).message}`
    progress(`growth: ${note}`)
  }
  const ms = performance.now() - began
  if (complete && settled) progress(`growth: ${target} items in every store after ${(ms / 1000).toFixed(1)} s`)
  return {items: done, complete, settled, ms, perSec: ((done - have) / seededMs) * 1000, note}
}
