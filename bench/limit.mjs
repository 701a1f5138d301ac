// @ts-check
/**
 * The limit: request/reply over the same embedded broker, client library and socket options as
 * gdmarket, with nothing behind it — the broker and trivial echo responders each in their own
 * process (as the supervisor and a daemon are), the requester here. One responder has a clean
 * session; the other a persistent one, as every daemon has (its requests are kept in the broker's
 * session until acknowledged): the difference is what persistent sessions cost.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {Forked} from './forked.mjs'
import {progress} from './progress.mjs'
import {BusClient, track} from './stacks.mjs'
import {Latencies, round} from './stats.mjs'

/** the broker and echo responders' program (also the Moleculer peer's broker) */
export const echoPeerJs = new URL('./echoPeer.mjs', import.meta.url).pathname

/** the responders, by the request target each answers */
export const RESPONDERS = {clean: 'echo', persistent: 'echoPersistent'}

/** A request body of the size of a real one (a reserve). */
const BODY = {itemNo: 1234, customerName: 'Bench', customerId: 'bench-0'}

export class Limit {
  /** @param {BusClient} bus @param {() => Promise<void>} stop */
  constructor(bus, stop) {
    this.bus = bus
    this.stop = stop
    this.latencies = new Latencies()
    /** @type {Record<string, {requests: number, elapsedMs: number}>} */
    this.bursts = {}
  }

  static async start() {
    const dir = mkdtempSync(path.join(tmpdir(), 'gdmarket-bench-limit-'))
    /** @type {Forked[]} */
    const children = []
    /** @type {BusClient | undefined} */
    let bus
    const stop = async () => {
      untrack()
      await bus?.close()
      for (const child of children.reverse()) await child.stop()
      rmSync(dir, {recursive: true, force: true})
    }
    const untrack = track({stop})
    const broker = await Forked.start(echoPeerJs, ['broker', dir], {label: 'broker'})
    children.push(broker)
    /** @type {{port: number, socket?: string}} */
    const address = broker.ready.address
    children.push(await Forked.start(echoPeerJs, ['echo', JSON.stringify(address), RESPONDERS.clean], {label: 'echo'}))
    children.push(await Forked.start(echoPeerJs, ['echo', JSON.stringify(address), RESPONDERS.persistent, 'persistent'], {label: 'echo'}))
    bus = await BusClient.connect(address, 10_000)
    progress(`limit: broker and echo responders up on ${address.socket ?? `port ${address.port}`}`)
    return new Limit(bus, stop)
  }

  /** @param {string} target @param {number} count requests one after another */
  async sequential(target, count) {
    for (let i = 0; i < count; i++) await this.latencies.time(`${target} sequential`, () => this.bus.request(target, 'ping', BODY))
  }

  /** @param {string} target @param {number} count requests, `inFlight` at a time @param {number} inFlight */
  async concurrent(target, count, inFlight) {
    let sent = 0
    const began = performance.now()
    const worker = async () => {
      while (sent < count) {
        sent++
        await this.latencies.time(`${target} burst`, () => this.bus.request(target, 'ping', BODY))
      }
    }
    await Promise.all(Array.from({length: inFlight}, worker))
    const burst = (this.bursts[target] ??= {requests: 0, elapsedMs: 0})
    burst.requests += count
    burst.elapsedMs += performance.now() - began
  }

  /** @param {string} target */
  result(target) {
    const summary = this.latencies.summary()
    const burst = this.bursts[target]
    return {
      sequential: summary[`${target} sequential`],
      inFlight32: {...summary[`${target} burst`], requestsPerSec: round((burst.requests / burst.elapsedMs) * 1000, 0)},
    }
  }
}
