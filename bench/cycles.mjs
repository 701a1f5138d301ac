// @ts-check
/**
 * Full rental cycles — register, reserve, pay, lend, return — run by N workers for a while, the
 * same way against the daemons and against the in-process monolith, so their figures compare.
 */
import {progress} from './progress.mjs'
import {Latencies} from './stats.mjs'

/** The command names figures are reported under (as `gdmarket load` names them). */
export const COMMANDS = /** @type {const} */ (['item register', 'reserve', 'pay', 'lend', 'return'])

/**
 * What a cycle needs: the market requests of src/cli/market.ts that a rental goes through.
 * @typedef {object} Rentals
 * @property {(item: {itemName: string, itemPrice: number}) => Promise<{itemNo: number}>} register
 * @property {(r: {itemNo: number, customerName: string, customerId: string}) => Promise<{reservationNo: number}>} reserve
 * @property {(reservationNo: number) => Promise<unknown>} pay
 * @property {(itemNo: number) => Promise<unknown>} lend
 * @property {(itemNo: number) => Promise<unknown>} takeBack
 * @property {() => Promise<void | {lostEvents: number}>} settled resolves when every store has applied
 *   every event so far; a system that can lose events (the Moleculer peer) says how many it gave up on
 */

/** Every cycle's item costs this: far below any payment limit. */
const PRICE = 10

/**
 * One rental from start to end, each command timed under its name. Each cycle rents an item of
 * its own, so workers never compete for one and any refusal is a real failure.
 * @param {Rentals} market @param {Latencies} latencies @param {string} worker
 */
export async function rentalCycle(market, latencies, worker) {
  const {itemNo} = await latencies.time('item register', () => market.register({itemName: `bench ${worker}`, itemPrice: PRICE}))
  const {reservationNo} = await latencies.time('reserve', () => market.reserve({itemNo, customerName: 'Bench', customerId: worker}))
  await latencies.time('pay', () => market.pay(reservationNo))
  await latencies.time('lend', () => market.lend(itemNo))
  await latencies.time('return', () => market.takeBack(itemNo))
}

/**
 * @typedef {{concurrency: number, cycles: number, failures: number, elapsedMs: number, failureCodes: Record<string, number>, lostEvents?: number}} CycleRun
 */

/**
 * `concurrency` workers run cycles back to back until `cycles` have been started, or until
 * `durationMs` has passed (a cycle under way then finishes). The clock stops when every store has
 * applied every event the cycles caused (`settled`), so work a system leaves to its followers is
 * not left out of its rate.
 * @param {Rentals} market
 * @param {{concurrency: number, latencies: Latencies, label: string} & ({cycles: number} | {durationMs: number})} plan
 * @returns {Promise<CycleRun>}
 */
export async function runCycles(market, plan) {
  const {concurrency, latencies, label} = plan
  const began = performance.now()
  let begun = 0
  const more =
    'cycles' in plan
      ? () => begun++ < plan.cycles
      : () => performance.now() < began + plan.durationMs
  let cycles = 0
  let failures = 0
  let failuresInARow = 0
  /** @type {Record<string, number>} */
  const failureCodes = {}
  const worker = async (/** @type {number} */ w) => {
    while (more()) {
      try {
        await rentalCycle(market, latencies, `${label}-${w}`)
        cycles++
        failuresInARow = 0
      } catch (error) {
        failures++
        const code = /** @type {{code?: string}} */ (error).code ?? /** @type {Error} */ (error).message
        if (!(code in failureCodes)) progress(`${label}: a cycle failed: ${code}: ${/** @type {Error} */ (error).message}`)
        failureCodes[code] = (failureCodes[code] ?? 0) + 1
        // a stack that fails everything would otherwise spin until the deadline
        if (++failuresInARow >= 20) throw new Error(`${label}: 20 cycles in a row failed, the last with ${code}`)
      }
    }
  }
  await Promise.all(Array.from({length: concurrency}, (_, w) => worker(w)))
  const settled = await market.settled()
  const lost = settled ? {lostEvents: settled.lostEvents} : {}
  return {concurrency, cycles, failures, elapsedMs: performance.now() - began, failureCodes, ...lost}
}
