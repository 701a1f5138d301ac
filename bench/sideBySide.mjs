// @ts-check
/**
 * The limit, the monolith, gdmarket and its peer on Moleculer, measured in rounds: each round runs
 * the limit's requests, then for each concurrency the same number of rental cycles on each system,
 * each of them first in turn — so a busy moment on the machine, or warmer caches, hit all of them alike.
 * The same rounds, without the limit, compare gdmarket on aedes and on Mosquitto (bench/brokers.mjs).
 */
import {cpuOf} from './cpuTime.mjs'
import {runCycles} from './cycles.mjs'
import {Limit, RESPONDERS} from './limit.mjs'
import {progress} from './progress.mjs'
import {Latencies, round} from './stats.mjs'

export const CONCURRENCIES = [1, 8, 32]
/** the limit's burst: requests in flight at once (reported as inFlight32) */
const IN_FLIGHT = 32

/** Everything one system did at one concurrency, over every round. */
class Totals {
  /** @param {number} concurrency */
  constructor(concurrency) {
    this.concurrency = concurrency
    this.cycles = 0
    this.failures = 0
    /** @type {number | null} events a system gave up waiting for (null: it reports none, it waits for all) */
    this.lostEvents = null
    this.elapsedMs = 0
    /** @type {Record<string, number>} */
    this.failureCodes = {}
    /** CPU ms by process over every run */
    /** @type {Record<string, number>} */
    this.cpuMs = {}
    this.latencies = new Latencies()
  }

  /** @param {import('./cycles.mjs').CycleRun} run @param {Record<string, number>} cpuMs by process, during the run */
  add(run, cpuMs) {
    for (const [name, ms] of Object.entries(cpuMs)) this.cpuMs[name] = (this.cpuMs[name] ?? 0) + ms
    this.cycles += run.cycles
    this.failures += run.failures
    if (run.lostEvents !== undefined) this.lostEvents = (this.lostEvents ?? 0) + run.lostEvents
    this.elapsedMs += run.elapsedMs
    for (const [code, count] of Object.entries(run.failureCodes)) this.failureCodes[code] = (this.failureCodes[code] ?? 0) + count
  }

  /** The system's own CPU time: its processes', or the bench process's when that is all it has (the monolith). */
  systemCpuMs() {
    const own = Object.entries(this.cpuMs).filter(([name]) => name !== BENCH_PROCESS)
    return own.length > 0 ? own.reduce((sum, [, ms]) => sum + ms, 0) : (this.cpuMs[BENCH_PROCESS] ?? NaN)
  }

  result() {
    return {
      concurrency: this.concurrency,
      cycles: this.cycles,
      failures: this.failures,
      ...(this.failures ? {failureCodes: this.failureCodes} : {}),
      ...(this.lostEvents === null ? {} : {lostEvents: this.lostEvents}),
      elapsedMs: Math.round(this.elapsedMs),
      cyclesPerSec: round((this.cycles / this.elapsedMs) * 1000, 1),
      cpuMsPerCycle: Object.fromEntries(Object.entries(this.cpuMs).map(([name, ms]) => [name, round(ms / this.cycles, 3)])),
      systemCpuMsPerCycle: round(this.systemCpuMs() / this.cycles, 3),
      commands: this.latencies.summary(),
    }
  }
}

/** the bench's own process: it drives every system's cycles, and is the whole monolith */
const BENCH_PROCESS = 'bench process'

/**
 * Starts taking the CPU time of `pids` and of the bench's own process; the function it returns
 * says how much each used since.
 * @param {Record<string, number>} pids
 */
function cpuDuring(pids) {
  const before = cpuOf(pids)
  const self = process.cpuUsage()
  return () => {
    const after = cpuOf(pids)
    const own = process.cpuUsage(self)
    /** @type {Record<string, number>} */
    const used = {[BENCH_PROCESS]: (own.user + own.system) / 1000}
    for (const name of Object.keys(pids)) used[name] = after[name] - before[name]
    return used
  }
}

/**
 * @template {string} Name
 * @param {{rounds: number, cyclesPerSlice: number, warmupMs: number, limitSequential: number, limitBurst: number}} plan
 * @param {Limit | null} limit null: no limit in the rounds (gdmarket on two brokers, bench/brokers.mjs)
 * @param {Record<Name, import('./cycles.mjs').Rentals>} systems
 * @param {Partial<Record<Name, Record<string, number>>>} processes each system's processes (name → pid), whose CPU
 *   time is taken over each run; the bench's own process (the cycles' driver, and the whole monolith) is always taken
 * @returns {Promise<{limit: any} & Record<Name, {cycles: ReturnType<Totals['result']>[]}>>}
 */
export async function compareSideBySide(plan, limit, systems, processes = {}) {
  const names = /** @type {Name[]} */ (Object.keys(systems))
  progress(`warming up ${names.join(', ')} (not counted)`)
  for (const name of names) {
    await runCycles(systems[name], {concurrency: 1, durationMs: plan.warmupMs, latencies: new Latencies(), label: `warmup-${name}`})
  }
  const totals = Object.fromEntries(names.map((name) => [name, CONCURRENCIES.map((c) => new Totals(c))]))
  for (let r = 0; r < plan.rounds; r++) {
    if (limit) await measureLimit(plan, limit, r)
    for (const [i, concurrency] of CONCURRENCIES.entries()) {
      // the same number of cycles for each, so every system's stores grow alike
      const cycles = Math.max(plan.cyclesPerSlice, concurrency)
      // each system first in turn, round by round and concurrency by concurrency
      const first = (r + i) % names.length
      const order = [...names.slice(first), ...names.slice(0, first)]
      for (const name of order) {
        const total = totals[name][i]
        const cpu = cpuDuring(processes[name] ?? {})
        const run = await runCycles(systems[name], {concurrency, cycles, latencies: total.latencies, label: `${name}-r${r}-c${concurrency}`})
        total.add(run, cpu())
        const failed = run.failures ? `, ${run.failures} failed ${JSON.stringify(run.failureCodes)}` : ''
        const lost = run.lostEvents ? `, ${run.lostEvents} events lost` : ''
        progress(`round ${r + 1}: ${name} at concurrency ${concurrency}: ${Math.round((run.cycles / run.elapsedMs) * 1000)} cycles/s${failed}${lost}`)
      }
    }
  }
  const systemsResults = Object.fromEntries(names.map((name) => [name, {cycles: totals[name].map((t) => t.result())}]))
  const limitResult = limit ? {limit: {...limit.result(RESPONDERS.clean), persistentSession: limit.result(RESPONDERS.persistent)}} : {}
  return /** @type {any} */ ({...limitResult, ...systemsResults})
}

/** One round of the limit: sequential requests, then a burst, to each responder. @param {{rounds: number, limitSequential: number, limitBurst: number}} plan @param {Limit} limit @param {number} r */
async function measureLimit(plan, limit, r) {
  progress(`round ${r + 1} of ${plan.rounds}: the limit (${plan.limitSequential} sequential, ${plan.limitBurst} with ${IN_FLIGHT} in flight, each responder)`)
  for (const target of Object.values(RESPONDERS)) {
    await limit.sequential(target, plan.limitSequential)
    await limit.concurrent(target, plan.limitBurst, IN_FLIGHT)
  }
}
