// @ts-check
/**
 * gdmarket stacks for the benchmark: started with the real CLI (`up --port 0 --http-port 0`) in
 * temporary data directories, driven through the gateway with the CLI's own HTTP client (keep-alive,
 * as `gdmarket load`), and always stopped again — `down`, then SIGKILL for anything left. A raw
 * broker client (BusClient) is there for what only the broker shows: settling, message counts.
 */
import {randomBytes} from 'node:crypto'
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import http from 'node:http'

import {connectBus, publisherOf} from '../dist/bus/connect.js'
import {runProcess, startProcess} from '../dist/childProcess.js'
import {Requester} from '../dist/bus/rpc.js'
import {topics} from '../dist/bus/topics.js'
import {addressOf, GatewayClient} from '../dist/cli/gatewayClient.js'
import {rentals} from './rentals.mjs'
import {GdError} from '../dist/errors.js'
import {progress} from './progress.mjs'
import {Latencies} from './stats.mjs'

export const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const runJs = path.join(repoRoot, 'bin', 'run.js')
export const DAEMONS = ['item', 'reservation', 'payment', 'view']

/**
 * The environment of every process the benchmark starts: explicit, so nothing inherits NODE_ENV
 * (vitest sets it to `test`) or the caller's GDMARKET_* settings.
 * @param {Record<string, string>} [extra]
 * @returns {Record<string, string>}
 */
export function cleanEnv(extra = {}) {
  // XDG_STATE_HOME: where `up` remembers its stacks (src/cli/knownStacks.ts); a test gives its own
  /** @type {Record<string, string>} */
  const state = process.env.XDG_STATE_HOME ? {XDG_STATE_HOME: process.env.XDG_STATE_HOME} : {}
  return {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...state, NO_COLOR: '1', ...extra}
}

/** @typedef {{code: number, stdout: string, stderr: string, ms: number}} CliRun */

/**
 * One `gdmarket …` as a new process, timed from spawn to exit; killed after `timeoutMs`.
 * @param {string[]} args
 * @param {{env?: Record<string, string>, timeoutMs?: number}} [options]
 * @returns {Promise<CliRun>}
 */
export async function runCli(args, {env = cleanEnv(), timeoutMs = 60_000} = {}) {
  const {code, stdout, stderr, ms} = await runProcess(process.execPath, [runJs, ...args], {env, timeoutMs})
  return {code: code ?? -1, stdout, stderr, ms}
}

/** `--keep`: leave the stacks' data directories (stores, logs) for a look afterwards. */
export const keep = {dataDirs: false}

/** @param {string} dataDir */
function removeDataDir(dataDir) {
  if (keep.dataDirs) progress(`kept ${dataDir}`)
  else rmSync(dataDir, {recursive: true, force: true})
}

/** Every stack and helper process started, so an error or Ctrl-C can still stop them all. */
/** @type {Set<{stop: () => Promise<void>}>} */
const running = new Set()

/** @param {{stop: () => Promise<void>}} thing */
export function track(thing) {
  running.add(thing)
  return () => running.delete(thing)
}

/** @type {Promise<unknown>} */
let stopped = Promise.resolve()

/**
 * Stops everything still running. Safe to call again, also while a call is under way: every
 * call resolves only once every stop begun so far has ended.
 */
export function stopEverything() {
  const all = [...running]
  running.clear()
  stopped = Promise.all([stopped, Promise.allSettled(all.map((thing) => thing.stop()))])
  return stopped
}

/**
 * SIGKILLs `pid` only if it still runs with `dataDir` on its command line (every process of a
 * stack has it there), so a pid the system has meanwhile given to another process is left alone.
 * @param {number} pid @param {string} dataDir
 */
function killIfOurs(pid, dataDir) {
  try {
    if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dataDir)) return
    process.kill(pid, 'SIGKILL')
  } catch {}
}

/**
 * A request/reply client straight on a stack's broker: for settling and for the transport's own
 * figures. Commands go through the gateway (BenchStack.market).
 */
export class BusClient {
  /**
   * @param {import('mqtt').MqttClient} client
   * @param {Requester} requester
   * @param {number} timeoutMs the deadline of every request unless told otherwise
   */
  constructor(client, requester, timeoutMs) {
    this.client = client
    this.requester = requester
    this.timeoutMs = timeoutMs
    /** @type {Set<(topic: string, payload: Buffer) => void>} */
    this.listeners = new Set()
    client.on('message', (topic, payload) => {
      if (topic === requester.replyTopic) requester.handleReply(payload)
      else for (const listener of this.listeners) listener(topic, payload)
    })
  }

  /**
   * @param {{port: number, socket?: string, url?: string}} address the broker's, as run/stack.json has it (the CLI connects the same way), or an external one's URL
   * @param {number} [timeoutMs] the deadline of every request
   */
  static async connect(address, timeoutMs = 30_000, password = /** @type {string | undefined} */ (undefined)) {
    const clientId = `gdmarket-bench-${randomBytes(6).toString('hex')}`
    // a stack's broker wants its `reader` credentials (run/credentials.json); the limit's bare broker none
    const login = password === undefined ? {} : {username: 'reader', password}
    const client = await connectBus(address, {clientId, clean: true, reconnectPeriod: 0, connectTimeout: 5000, ...login})
    const requester = new Requester(publisherOf(client), topics.reply(clientId))
    await client.subscribeAsync(requester.replyTopic, {qos: 1})
    return new BusClient(client, requester, timeoutMs)
  }

  /** @param {string} target @param {string} command @param {unknown} [body] @param {number} [timeoutMs] */
  request(target, command, body = {}, timeoutMs = this.timeoutMs) {
    return this.requester.call(target, command, body, {
      timeoutMs,
      onTimeout: () => new GdError('TIMEOUT', `${target} ${command}: no reply within ${timeoutMs} ms`, 5),
    })
  }

  /**
   * Resolves once every daemon has handled what reached it before this call: a daemon handles
   * events and requests in arrival order, so the reply to a cheap request (`history`, limit 1,
   * which waits for no frontier) comes after every event that had reached it. A settle point
   * for measurements (aedes may deliver an acknowledged event a moment late, see docs/architecture.md,
   * Read-your-writes), not a guarantee.
   * @param {number} [timeoutMs]
   */
  async settled(timeoutMs) {
    await Promise.all(DAEMONS.map((name) => this.request(name, 'history', {limit: 1}, timeoutMs)))
  }

  async close() {
    this.requester.rejectAll(new Error('bench client closed'))
    await this.client.endAsync(true).catch(() => {})
  }
}

/** @typedef {{name: string, pid: number | null, state: string}} ProcessInfo */
/** @typedef {{url: string, pid: number, stop: () => Promise<void>}} ExternalBroker a broker a stack runs on (`up --broker`) */

/** A stack started with `gdmarket up --port 0` in its own temporary data directory. */
export class BenchStack {
  /**
   * @param {string} dataDir @param {number} port
   * @param {BusClient} bus @param {GatewayClient} gateway @param {http.Agent} agent
   * @param {number} upMs wall time of `up` @param {number | null} readyMs as the supervisor reported it
   */
  constructor(dataDir, port, bus, gateway, agent, upMs, readyMs) {
    this.dataDir = dataDir
    this.port = port
    this.bus = bus
    this.gateway = gateway
    this.agent = agent
    /** what the gateway itself spent on each command (its Server-Timing) */
    this.gatewayOwn = new Latencies()
    /** the market requests of the CLI (src/cli/market.ts), through the gateway */
    this.market = rentals((/** @type {any} */ method, /** @type {string} */ path, /** @type {unknown} */ body) => gateway.call(method, path, body))
    this.upMs = upMs
    this.readyMs = readyMs
    /** @type {Map<number, string>} every pid seen, with its process name; killed at the end if still alive */
    this.pids = new Map()
    this.untrack = () => false
    /** @type {string | undefined} where its processes write CPU profiles (--cpu-prof) */
    this.profileDir = undefined
    /** @type {ExternalBroker | undefined} the broker it runs on, when not its embedded one */
    this.broker = undefined
  }

  /**
   * @param {string} label for progress lines
   * @param {{env?: Record<string, string>, broker?: (dataDir: string) => Promise<ExternalBroker>}} [options] env: added to
   *   the clean environment (e.g. NODE_OPTIONS); broker: starts an external broker for the stack's data dir (`up --broker`),
   *   which the stack stops after its own processes
   */
  static async up(label, {env = {}, broker: startBroker} = {}) {
    const profileDir = env.GDMARKET_BENCH_PROFILE_DIR
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gdmarket-bench-'))
    const cliEnv = cleanEnv(env)
    /** @type {ExternalBroker | undefined} */
    let broker
    const partial = {
      stop: async () => {
        await runCli(['down', '--data-dir', dataDir], {env: cleanEnv(), timeoutMs: 30_000}).catch(() => undefined)
        killLeftovers(dataDir, [])
        await broker?.stop()
        removeDataDir(dataDir)
      },
    }
    const untrackPartial = track(partial)
    try {
      broker = await startBroker?.(dataDir)
    } catch (error) {
      untrackPartial()
      await partial.stop()
      throw error
    }
    const brokerFlags = broker ? ['--broker', broker.url] : []
    const up = await runCli(['up', '--port', '0', '--http-port', '0', ...brokerFlags, '--json', '--data-dir', dataDir], {env: cliEnv, timeoutMs: 60_000})
    if (up.code !== 0) {
      untrackPartial()
      await partial.stop()
      throw new Error(`gdmarket up (${label}) failed with exit ${up.code}: ${up.stderr.trim()}`)
    }
    const {port} = JSON.parse(up.stdout)
    const ready = /all services ready in (\d+) ms/.exec(up.stderr)
    let bus
    const info = JSON.parse(readFileSync(path.join(dataDir, 'run', 'stack.json'), 'utf8'))
    try {
      bus = await BusClient.connect(broker ? {port: info.port, url: broker.url} : info, 30_000, JSON.parse(readFileSync(path.join(dataDir, 'run', 'credentials.json'), 'utf8')).reader)
    } catch (error) {
      untrackPartial()
      await partial.stop()
      throw error
    }
    const agent = new http.Agent({keepAlive: true, maxSockets: 64})
    const gatewayOwn = new Latencies()
    const gateway = new GatewayClient(addressOf(info), 30_000, agent, (/** @type {string} */ method, /** @type {string} */ route, /** @type {unknown} */ body, /** @type {import('node:http').IncomingHttpHeaders} */ headers) => {
      const own = /gateway;dur=([\d.]+)/.exec(String(headers['server-timing'] ?? ''))
      if (own) gatewayOwn.add(commandOf(method, route, body), Number(own[1]))
    })
    const stack = new BenchStack(dataDir, port, bus, gateway, agent, up.ms, ready ? Number(ready[1]) : null)
    stack.gatewayOwn = gatewayOwn
    stack.broker = broker
    stack.profileDir = profileDir
    untrackPartial()
    stack.untrack = track(stack)
    await stack.processes() // remembers the pids, to kill leftovers however the run ends
    progress(`${label}: stack up in ${Math.round(up.ms)} ms on port ${port} (${dataDir})`)
    return stack
  }

  /** The supervisor's `status` request: each process with its pid. @returns {Promise<ProcessInfo[]>} */
  async processes() {
    const status = /** @type {{processes: ProcessInfo[]}} */ (await this.gateway.call('GET', '/stack/status'))
    for (const p of status.processes) if (p.pid) this.pids.set(p.pid, p.name)
    return status.processes
  }

  /** Each process of the stack by name, with its pid. @returns {Promise<Record<string, number>>} */
  async pidsByName() {
    /** @type {Record<string, number>} */
    const pids = {}
    for (const p of await this.processes()) if (p.pid) pids[p.name] = p.pid
    return pids
  }

  /** Resident memory (VmRSS) of every process of the stack, in MB, and their sum. */
  async rss() {
    /** @type {Record<string, number>} */
    const byProcess = {}
    for (const p of await this.processes()) byProcess[p.name] = p.pid ? rssMb(p.pid) : NaN
    const total = Object.values(byProcess).reduce((sum, mb) => sum + mb, 0)
    return {byProcessMb: byProcess, totalMb: Math.round(total * 10) / 10}
  }

  async stop() {
    this.untrack()
    await this.processes().catch(() => [])
    await this.bus.close()
    this.agent.destroy()
    const down = await runCli(['down', '--data-dir', this.dataDir], {timeoutMs: 30_000}).catch((error) => ({code: -1, stderr: String(error)}))
    if (down.code !== 0) progress(`gdmarket down exited ${down.code}: ${down.stderr.trim()}`)
    // which profile is whose: profiles are named after the pid of the process that wrote them
    if (this.profileDir) writeFileSync(path.join(this.profileDir, 'processes.json'), JSON.stringify(Object.fromEntries(this.pids)) + '\n')
    killLeftovers(this.dataDir, [...this.pids.keys()])
    await this.broker?.stop()
    removeDataDir(this.dataDir)
  }
}

/**
 * SIGKILLs whatever of a stack still runs after `down`: the pids seen in `status`, and those in
 * the data directory's run/ files (stack.json and one pid file per daemon).
 * @param {string} dataDir @param {number[]} pids
 */
function killLeftovers(dataDir, pids) {
  const runDir = path.join(dataDir, 'run')
  const fromFiles = []
  try {
    for (const file of readdirSync(runDir)) {
      const text = readFileSync(path.join(runDir, file), 'utf8')
      const pid = file.endsWith('.json') ? JSON.parse(text).pid : Number(text.trim())
      if (Number.isInteger(pid) && pid > 0) fromFiles.push(pid)
    }
  } catch {}
  for (const pid of new Set([...pids, ...fromFiles])) killIfOurs(pid, dataDir)
}

/** @param {number} pid */
export function rssMb(pid) {
  try {
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return kb ? Math.round((Number(kb[1]) / 1024) * 10) / 10 : NaN
  } catch {
    return NaN
  }
}

/** RSS of a bare `node` process at rest: what each of the stack's five processes costs before any code. */
export async function nodeBaselineRssMb() {
  const child = startProcess(process.execPath, ['-e', 'setTimeout(() => {}, 5000)'], {env: cleanEnv(), stdout: 'ignore', stderr: 'ignore'})
  try {
    await new Promise((resolve) => setTimeout(resolve, 500))
    return rssMb(/** @type {number} */ (child.pid))
  } finally {
    await child.stop()
  }
}

/**
 * The command a gateway request stands for, as the cycles name them (bench/cycles.mjs).
 * @param {string} method @param {string} route @param {any} body
 */
function commandOf(method, route, body) {
  if (method === 'POST') return route === '/items' ? 'item register' : route === '/reservations' ? 'reserve' : `${method} ${route}`
  if (method === 'PATCH' && route.startsWith('/items/')) return body?.rentalStatus === 'Renting' ? 'lend' : 'return'
  if (method === 'PATCH' && route.startsWith('/reservations/')) return body?.paymentStatus === 'Paid' ? 'pay' : 'reservation change'
  return `${method} ${route.replace(/\/\d+/g, '/{n}')}`
}
