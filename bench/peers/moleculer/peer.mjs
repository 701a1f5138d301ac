// @ts-check
/**
 * The Moleculer peer (issue 20): the same rental cycle on Moleculer 0.14 — item, reservation,
 * payment and view as four Moleculer nodes, each its own process with its own ServiceStore, over
 * Moleculer's MQTT transporter on the bench's plain aedes broker (bench/echoPeer.mjs, as the
 * limit's), and moleculer-web in a fifth node process as the HTTP door. The bench drives it
 * through that door with gdmarket's own HTTP client, over keep-alive on a Unix socket, as it
 * drives gdmarket's gateway. Everything it starts is stopped again, also when a start fails.
 */
import http from 'node:http'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'

import {GatewayClient} from '../../../dist/cli/gatewayClient.js'
import {rentals} from '../../rentals.mjs'
import {rentalCycle} from '../../cycles.mjs'
import {Forked} from '../../forked.mjs'
import {echoPeerJs} from '../../limit.mjs'
import {progress} from '../../progress.mjs'
import {keep, rssMb, track} from '../../stacks.mjs'
import {Latencies, round} from '../../stats.mjs'

const nodeJs = new URL('./node.mjs', import.meta.url).pathname
const SERVICES = ['item', 'reservation', 'payment', 'view']
/** how long the settle point waits for events still on their way before it counts them as lost */
const SETTLE_MS = 10_000
/** Moleculer's packets that belong to a cycle; the rest (heartbeats, discovery) do not */
const CYCLE_PACKETS = ['REQ', 'RES', 'EVENT']

export class MoleculerPeer {
  /**
   * @param {string} dir @param {Forked} broker @param {Forked[]} services @param {Forked} gateway
   * @param {() => Promise<void>} stop
   */
  constructor(dir, broker, services, gateway, stop) {
    this.dir = dir
    this.broker = broker
    this.services = services
    this.gateway = gateway
    this.stop = stop
    this.agent = new http.Agent({keepAlive: true, maxSockets: 64})
    const client = new GatewayClient({socketPath: path.join(dir, 'gateway.sock')}, 30_000, this.agent)
    /** the market requests of the CLI (src/cli/market.ts), through moleculer-web */
    this.market = rentals((/** @type {any} */ method, /** @type {string} */ route, /** @type {unknown} */ body) => client.call(method, route, body))
    /** @type {{moleculer: string, moleculerWeb: string | null}} */
    this.versions = gateway.ready.versions
    /** events that never reached a subscriber within SETTLE_MS of a settle point, over the whole run */
    this.lostEvents = 0
  }

  /** @param {{env?: Record<string, string>}} [options] env: added to the clean environment (e.g. NODE_OPTIONS) */
  static async start({env = {}} = {}) {
    const dir = mkdtempSync(path.join(tmpdir(), 'gdmarket-bench-moleculer-'))
    /** @type {Forked[]} */
    const started = []
    /** @type {MoleculerPeer | undefined} */
    let peer
    const stop = async () => {
      untrack()
      peer?.agent.destroy()
      for (const forked of [...started].reverse()) await forked.stop()
      if (env.GDMARKET_BENCH_PROFILE_DIR) writeProcessNames(env.GDMARKET_BENCH_PROFILE_DIR, started)
      if (keep.dataDirs) progress(`kept ${dir}`)
      else rmSync(dir, {recursive: true, force: true})
    }
    const untrack = track({stop})
    try {
      const broker = await Forked.start(echoPeerJs, ['broker', dir], {label: 'moleculer-broker', env})
      started.push(broker)
      const address = JSON.stringify(broker.ready.address)
      // the four start side by side: each waits until it knows the others
      const nodes = await Promise.allSettled(SERVICES.map((role) => Forked.start(nodeJs, [role, address, dir], {label: role, env})))
      for (const node of nodes) if (node.status === 'fulfilled') started.push(node.value)
      const failed = nodes.find((node) => node.status === 'rejected')
      if (failed) throw /** @type {PromiseRejectedResult} */ (failed).reason
      const gateway = await Forked.start(nodeJs, ['gateway', address, dir], {label: 'gateway', env})
      started.push(gateway)
      peer = new MoleculerPeer(dir, broker, started.slice(1, 1 + SERVICES.length), gateway, stop)
    } catch (error) {
      await stop()
      throw error
    }
    progress(`moleculer: broker, ${SERVICES.join(', ')} and gateway up (Moleculer ${peer.versions.moleculer}, moleculer-web ${peer.versions.moleculerWeb}) in ${dir}`)
    return peer
  }

  /** The cycle driver's view of it: the market requests and the settle point. */
  get rentals() {
    return {...this.market, settled: () => this.settled()}
  }

  /**
   * Resolves once every service has applied every event emitted so far that it listens to, and
   * has it on disk. Moleculer says nothing of that, so each node counts what it emitted and what
   * it applied (asked over IPC, outside the broker); events still missing after SETTLE_MS are
   * counted as lost (`lostEvents`) and the settle point gives up on them.
   * @returns {Promise<{lostEvents: number}>}
   */
  async settled() {
    const deadline = performance.now() + SETTLE_MS
    for (;;) {
      const missing = await this.missingEvents()
      if (missing === 0) return {lostEvents: 0}
      if (performance.now() > deadline) {
        this.lostEvents += missing
        progress(`moleculer: ${missing} event(s) not applied by their subscribers after ${SETTLE_MS} ms: counted as lost`)
        return {lostEvents: missing}
      }
      await sleep(2)
    }
  }

  /** How many deliveries of the events emitted so far have not been applied, over every subscriber. */
  async missingEvents() {
    const counts = await Promise.all(this.services.map((s) => s.request('progress')))
    /** @type {Record<string, number>} */
    const emitted = {}
    for (const c of counts) for (const [name, n] of Object.entries(c.emitted)) emitted[name] = (emitted[name] ?? 0) + /** @type {number} */ (n)
    let missing = 0
    this.services.forEach((s, i) => {
      for (const name of s.ready.listensTo) missing += Math.max(0, (emitted[name] ?? 0) - (counts[i].received[name] ?? 0))
    })
    return missing
  }

  /**
   * Messages through the broker per rental cycle, by Moleculer packet type: `cycles` cycles one
   * after another, settled before and after. Heartbeats and discovery are left out.
   * @param {number} cycles
   */
  async countMessages(cycles) {
    await this.settled()
    const before = await this.broker.request('messages')
    for (let i = 0; i < cycles; i++) await rentalCycle(this.rentals, new Latencies(), 'count')
    await this.settled()
    const after = await this.broker.request('messages')
    /** @type {Record<string, number>} */
    const byKind = {}
    for (const kind of CYCLE_PACKETS) {
      const n = (after[kind] ?? 0) - (before[kind] ?? 0)
      if (n > 0) byKind[kind] = round(n / cycles, 1)
    }
    return {cycles, published: round(Object.values(byKind).reduce((sum, n) => sum + n, 0), 1), byKind}
  }

  /** Each of its processes by name (broker, the four services, gateway), with its pid. */
  pidsByName() {
    /** @type {Record<string, number>} */
    const pids = {broker: this.broker.pid}
    for (const node of [...this.services, this.gateway]) pids[node.label] = node.pid
    return pids
  }

  /** Resident memory (VmRSS) of each of its processes, in MB, and their sum. */
  rss() {
    const byProcessMb = Object.fromEntries(Object.entries(this.pidsByName()).map(([name, pid]) => [name, rssMb(pid)]))
    const total = Object.values(byProcessMb).reduce((sum, mb) => sum + mb, 0)
    return {byProcessMb, totalMb: round(total, 1)}
  }
}

/**
 * Which CPU profile is whose (bench/profileSummary.mjs reads processes.json): profiles are named
 * after the pid of the process that wrote them.
 * @param {string} dir @param {Forked[]} processes
 */
function writeProcessNames(dir, processes) {
  const names = Object.fromEntries(processes.map((p) => [p.pid, `moleculer ${p.label}`]))
  writeFileSync(path.join(dir, 'processes.json'), JSON.stringify(names) + '\n')
}
