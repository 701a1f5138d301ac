// @ts-check
/**
 * Messages per rental cycle: what one cycle costs the broker. A separate client subscribes to
 * gdmarket/# (QoS 0, so it adds no stored deliveries of its own) while a few cycles run one after
 * another, and counts every message published, by kind: the gateway's requests into the broker,
 * the services' replies, their events, reservation's calls to payment, liveness.
 */
import {randomBytes} from 'node:crypto'

import {connectBus} from '../dist/bus/connect.js'
import {parseTopic, topics} from '../dist/bus/topics.js'
import {rentalCycle} from './cycles.mjs'
import {BenchStack} from './stacks.mjs'
import {Latencies, round} from './stats.mjs'

/** @param {BenchStack} stack @param {number} cycles */
export async function countMessages(stack, cycles) {
  const {bus} = stack
  const counter = await connectBus({port: stack.port}, {clientId: `gdmarket-bench-count-${randomBytes(4).toString('hex')}`, clean: true, reconnectPeriod: 0})
  /** @type {Record<string, number>} */
  const counts = {}
  /** @type {Record<string, number>} requests by target and command */
  const requests = {}
  let counting = false
  /** the settling requests (history) are not the cycles': neither they nor their replies count */
  let settling = 0
  counter.on('message', (topic) => {
    if (!counting) return
    const {kind, parts} = parseTopic(topic)
    if (kind === 'request' && parts[1] === 'history') return void settling++
    if (kind === 'reply' && settling > 0) return void settling--
    counts[kind] = (counts[kind] ?? 0) + 1
    if (kind === 'request') requests[parts.join(' ')] = (requests[parts.join(' ')] ?? 0) + 1
  })
  try {
    await counter.subscribeAsync(topics.all, {qos: 0})
    await bus.settled()
    counting = true
    const market = {...stack.market, settled: () => bus.settled()}
    for (let i = 0; i < cycles; i++) await rentalCycle(market, new Latencies(), 'count')
    // the events' deliveries to followers, and their saga steps, are part of the cycle too
    await bus.settled()
    counting = false
  } finally {
    await counter.endAsync(true).catch(() => {})
  }
  const per = (/** @type {number} */ n) => round(n / cycles, 1)
  return {
    cycles,
    published: per(Object.values(counts).reduce((sum, n) => sum + n, 0)),
    byKind: Object.fromEntries(Object.entries(counts).map(([kind, n]) => [kind, per(n)])),
    requests: Object.fromEntries(Object.entries(requests).map(([command, n]) => [command, per(n)])),
  }
}
