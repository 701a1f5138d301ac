// @ts-check
/**
 * A rental cycle with dates beside the undated one (issue 19's target: not fewer cycles/s): the
 * same stack, the same concurrency and the same number of cycles, in rounds, each kind first in
 * turn. A dated cycle reserves today to the day after tomorrow (three days, price × 3), so its
 * lend hands over the booking that covers today, as a renter's would.
 */
import {addDays, dayIn, machineTimeZone} from '../dist/calendar.js'
import {runCycles} from './cycles.mjs'
import {progress} from './progress.mjs'
import {Latencies, round} from './stats.mjs'

/** days a dated cycle books, today first */
const DAYS = 3

/**
 * The same requests, with a period on every reservation; the stack's time zone is the machine's
 * (bench stacks set none), so today here is today there.
 * @param {import('./cycles.mjs').Rentals} market @returns {import('./cycles.mjs').Rentals}
 */
function withDates(market) {
  return {
    ...market,
    reserve: (r) => {
      const today = dayIn(machineTimeZone())
      return market.reserve(/** @type {any} */ ({...r, rentFrom: today, rentTo: addDays(today, DAYS - 1)}))
    },
  }
}

/**
 * @param {import('./stacks.mjs').BenchStack} stack
 * @param {{rounds: number, cycles: number, concurrency: number}} plan
 */
export async function compareDated(stack, {rounds, cycles, concurrency}) {
  const undated = {...stack.market, settled: () => stack.bus.settled()}
  const kinds = {undated, dated: withDates(undated)}
  /** @type {Record<string, {cycles: number, failures: number, elapsedMs: number, latencies: Latencies}>} */
  const totals = {}
  for (let round_ = 0; round_ < rounds; round_++) {
    const order = round_ % 2 === 0 ? ['undated', 'dated'] : ['dated', 'undated']
    for (const kind of order) {
      progress(`dated and undated cycles: round ${round_ + 1} of ${rounds}, ${kind}, ${cycles} cycles at concurrency ${concurrency}`)
      const total = (totals[kind] ??= {cycles: 0, failures: 0, elapsedMs: 0, latencies: new Latencies()})
      const run = await runCycles(kinds[/** @type {'dated' | 'undated'} */ (kind)], {concurrency, cycles, latencies: total.latencies, label: kind})
      total.cycles += run.cycles
      total.failures += run.failures
      total.elapsedMs += run.elapsedMs
    }
  }
  const summary = (/** @type {string} */ kind) => {
    const t = totals[kind]
    return {cycles: t.cycles, failures: t.failures, cyclesPerSec: round((t.cycles / t.elapsedMs) * 1000), commands: t.latencies.summary()}
  }
  return {concurrency, rounds, days: DAYS, undated: summary('undated'), dated: summary('dated')}
}
