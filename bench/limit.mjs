// @ts-check
/**
 * The limit: request/reply over the same embedded broker, client library and socket options as
 * gdmarket, with nothing behind it — the broker and trivial echo responders each in their own
 * process (as the supervisor and a daemon are), the requester here. One responder has a clean
 * session; the other a persistent one, as every daemon has (its requests are kept in the broker's
 * session until acknowledged): the difference is what persistent sessions cost.
 */
import {fork} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {progress} from './progress.mjs'
import {BusClient, cleanEnv, track} from './stacks.mjs'
import {Latencies, round} from './stats.mjs'

const peerJs = new URL('./echoPeer.mjs', import.meta.url).pathname

/** the responders, by the request target each answers */
export const RESPONDERS = {clean: 'echo', persistent: 'echoPersistent'}

/** @param {string[]} args @returns {Promise<{child: import('node:child_process').ChildProcess, address?: {port: number, socket?: string}}>} */
function startPeer(args) {
  const child = fork(peerJs, args, {env: cleanEnv(), stdio: ['ignore', 'ignore', 'inherit', 'ipc']})
  return new Promise((resolve, reject) => {
    child.once('message', (/** @type {any} */ m) => resolve({child, address: m.address}))
    child.once('exit', (code) => reject(new Error(`the ${args[0]} helper exited (${code}) before it was ready`)))
  })
}

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
    /** @type {import('node:child_process').ChildProcess[]} */
    const children = []
    /** @type {BusClient | undefined} */
    let bus
    const stop = async () => {
      untrack()
      await bus?.close()
      for (const child of children.reverse()) {
        child.disconnect?.()
        await new Promise((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined)
          const timer = setTimeout(() => child.kill('SIGKILL'), 3000)
          child.once('exit', () => (clearTimeout(timer), resolve(undefined)))
        })
      }
      rmSync(dir, {recursive: true, force: true})
    }
    const untrack = track({stop})
    const broker = await startPeer(['broker', dir])
    children.push(broker.child)
    const address = /** @type {{port: number, socket?: string}} */ (broker.address)
    children.push((await startPeer(['echo', JSON.stringify(address), RESPONDERS.clean])).child)
    children.push((await startPeer(['echo', JSON.stringify(address), RESPONDERS.persistent, 'persistent'])).child)
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
