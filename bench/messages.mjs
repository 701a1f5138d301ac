// @ts-check
/**
 * Messages per rental cycle: what one cycle costs the broker. The broker counts every message it
 * carries, by kind (`gdmarket status`: broker.messages); the counts before and after a few cycles
 * run one after another, the events' deliveries and saga steps settled, give the cost of a cycle.
 * The settling requests (`history`) and their replies are left out: they are the bench's, not the
 * cycle's.
 */
import {rentalCycle} from './cycles.mjs'
import {BenchStack, DAEMONS} from './stacks.mjs'
import {Latencies, round} from './stats.mjs'

/** @param {BenchStack} stack @returns {Promise<Record<string, number>>} */
const counts = async (stack) => /** @type {any} */ (await stack.gateway.call('GET', '/stack/status')).broker.messages

/** @param {BenchStack} stack @param {number} cycles */
export async function countMessages(stack, cycles) {
  const {bus} = stack
  await bus.settled()
  const before = await counts(stack)
  const market = {...stack.market, settled: () => bus.settled()}
  for (let i = 0; i < cycles; i++) await rentalCycle(market, new Latencies(), 'count')
  // the events' deliveries to followers, and their saga steps, are part of the cycle too
  await bus.settled()
  const after = await counts(stack)
  const per = (/** @type {number} */ n) => round(n / cycles, 1)
  // the settle after the cycles: one history request and its reply per daemon
  const settles = DAEMONS.length
  /** @type {Record<string, number>} */
  const byKind = {}
  for (const kind of Object.keys(after)) {
    const n = after[kind] - before[kind] - (kind === 'request' || kind === 'reply' ? settles : 0)
    if (n > 0) byKind[kind] = per(n)
  }
  return {cycles, published: round(Object.values(byKind).reduce((sum, n) => sum + n, 0), 1), byKind}
}
