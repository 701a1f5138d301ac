// @ts-check
/**
 * `GET /itemInfoes` reads/s through the gateway with 1, 2 and 3 replicas of the view (issue 18,
 * part 7; docs/deploy.md#view-replicas): `service scale view N`, then `concurrency` readers for
 * `durationMs` each, and the CPU each process spent meanwhile, which says where the limit is.
 */
import os from 'node:os'

import {cpuOf} from './cpuTime.mjs'
import {Latencies} from './stats.mjs'

/**
 * @param {import('./stacks.mjs').BenchStack} stack
 * @param {{durationMs: number, concurrency: number, items: number, counts?: number[]}} plan
 */
export async function measureViewReplicas(stack, {durationMs, concurrency, items, counts = [1, 2, 3]}) {
  const {gateway} = stack
  // a market of some size: each read lists every row, as `gdmarket view` does
  for (let i = 0; i < items; i++) await gateway.call('POST', '/items', {itemName: `Replica bench ${i}`, itemPrice: 10 + (i % 90)})
  const rows = []
  for (const replicas of counts) {
    await gateway.call('PATCH', '/stack/services/view', {replicas})
    await readFor(gateway, Math.min(300, durationMs), concurrency) // warm: the new replicas' JIT and caches
    const pids = await stack.pidsByName()
    const before = cpuOf(pids)
    const clientBefore = process.cpuUsage()
    const began = performance.now()
    const {reads, latencies, failures} = await readFor(gateway, durationMs, concurrency)
    const wallMs = performance.now() - began
    const after = cpuOf(pids)
    const client = process.cpuUsage(clientBefore)
    /** @type {Record<string, number>} share of one core each process used, in %: the stack's, and this bench's readers' */
    const cpu = {}
    for (const name of Object.keys(pids)) if (after[name] - before[name] >= wallMs / 100) cpu[name] = Math.round(((after[name] - before[name]) / wallMs) * 100)
    cpu['bench readers'] = Math.round(((client.user + client.system) / 1000 / wallMs) * 100)
    const {p50Ms, p99Ms} = latencies.summary().read ?? {}
    const total = Object.values(cpu).reduce((sum, share) => sum + share, 0)
    rows.push({replicas, readsPerSec: Math.round((reads / wallMs) * 1000), p50Ms, p99Ms, failures, cpuPercent: cpu, cpuTotalPercent: total, cores: os.availableParallelism(), loadAverage: os.loadavg()[0]})
  }
  await gateway.call('PATCH', '/stack/services/view', {replicas: 1})
  return {items, concurrency, durationMs, rows}
}

/**
 * `concurrency` readers in a loop until `durationMs` is over.
 * @param {import('../dist/cli/gatewayClient.js').GatewayClient} gateway @param {number} durationMs @param {number} concurrency
 */
async function readFor(gateway, durationMs, concurrency) {
  const latencies = new Latencies()
  const end = performance.now() + durationMs
  let reads = 0
  let failures = 0
  const reader = async () => {
    while (performance.now() < end) {
      try {
        await latencies.time('read', () => gateway.call('GET', '/itemInfoes'))
        reads++
      } catch {
        failures++
      }
    }
  }
  await Promise.all(Array.from({length: concurrency}, reader))
  return {reads, latencies, failures}
}
