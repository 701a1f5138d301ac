import {fork, type ChildProcess} from 'node:child_process'
import {closeSync, fchmodSync, openSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'
import {fileURLToPath} from 'node:url'

import type {BrokerAddress} from '../bus/connect.js'
import {liveness, type Liveness} from '../bus/liveness.js'
import {MAX_VIEW_REPLICAS, roleOfProcess, topics, viewReplicas, type DaemonName, type ProcessName} from '../bus/topics.js'
import type {Settings} from '../config.js'
import {badInput, Exit, GdError, notFound, type ExitCode, unavailable} from '../errors.js'
import type {NextStep} from '../nextStep.js'
import type {DataDir} from '../paths.js'
import type {Log} from '../runtime/log.js'
import type {DaemonReport} from '../runtime/daemon.js'
import type {RecoveryReport} from '../runtime/storeRecovery.js'
import {RECOVERY_MS} from '../runtime/storeVerdict.js'
import {EXIT_STORAGE, EXIT_WONT_START, type BreakerSummary} from '../runtime/service.js'
import {storageProblem} from '../store/storageProblem.js'
import {STACK_NODE_FLAGS} from './nodeFlags.js'
import {isAlive, livePid} from '../stackFile.js'

// beside this module in dist/, or beside this bundle in dist/bundle/ (see `up`): the same layout
const daemonMain = fileURLToPath(new URL('../services/main.js', import.meta.url))

/** Restart policy for a crashed daemon: backoff from 100 ms, ×1.5, capped at 15 s, reset after 30 s up. */
export const restartPolicy = {
  firstDelayMs: 100,
  factor: 1.5,
  maxDelayMs: 15_000,
  resetAfterMs: 30_000,
  fastCrashMs: 5000,
  maxFastCrashes: 5,
  /** a daemon that cannot write its files is tried this often, for as long as it takes */
  storageRetryMs: 1000,
}

export type ProcessState = 'online' | 'offline' | 'restarting' | 'errored' | 'stopped'

export interface ProcessStatus {
  name: string
  state: ProcessState
  pid: number | null
  uptimeMs: number
  restarts: number
  lastExit: string | null
  lastError: string | null
  /** what to do about an errored one, as data (a store behind its followers: recover it) */
  next: NextStep | null
  /** malformed or unknown messages it ignored since it started */
  poisonMessages: number
  /** redelivered events it recognised and skipped since it started */
  duplicates: number
}

export type DeadLetterSummary = Extract<DaemonReport, {type: 'counters'}>['deadLetters'][number]

interface Daemon {
  /** the daemon's name, or a view replica's (`view-2`) */
  name: ProcessName
  /** what it runs: its role at the broker */
  role: DaemonName
  state: ProcessState
  child: ChildProcess | null
  startedAt: number
  restarts: number
  lastExit: string | null
  lastError: string | null
  /** false once stopped on purpose: a stopped daemon stays stopped */
  wanted: boolean
  delayMs: number
  fastCrashes: number
  restartTimer: NodeJS.Timeout | null
  ready: {resolve: () => void; reject: (error: Error) => void}[]
  counters: {poison: number; duplicates: number; deadLetters: DeadLetterSummary[]; breakers: BreakerSummary[]}
  /** set while a spawn waits for a leftover of a dead supervisor to go */
  spawning: boolean
  /** set during a zero-downtime restart: requests wait in the broker for the successor meanwhile */
  handingOver: boolean
  /** why it cannot write its files, until it is ready again */
  storage: string | null
  /** what to do about its last error, as data (its own refusal's next step) */
  lastNext: NextStep | null
  /** its store is behind its followers (or could not be recovered): errored, while the stack stays up */
  behind: GdError | null
  /** a `store recover` waiting for the daemon's report */
  recovering: ((report: RecoveryReport) => void) | null
}

/** Runs the daemons as child processes: starts, watches, restarts and stops them. */
export class Supervisor {
  private readonly daemons = new Map<ProcessName, Daemon>()
  private closing = false
  /** the view replica the gateway gave the last read to (round robin) */
  private lastReplica = 0

  constructor(
    private readonly dir: DataDir,
    private readonly settings: Settings,
    private readonly broker: BrokerAddress,
    private readonly log: Log,
    /** retained liveness the daemons cannot publish themselves (`stopped`, `errored`), straight into the broker */
    private readonly publishRetained: (topic: string, payload: string) => Promise<void>,
  ) {}

  /**
   * Why a request for this daemon cannot be served now, or undefined when it can: the gateway
   * answers 503 at once instead of letting a request wait for a process that is not coming.
   * During a zero-downtime restart, and while a daemon first starts, requests wait in the broker.
   */
  refusal(name: ProcessName): GdError | undefined {
    const d = this.daemonOf(name)
    switch (d.state) {
      case 'online':
      case 'offline':
        return undefined
      case 'restarting':
        if (d.storage) return unavailable('STORAGE', d.storage)
        return d.handingOver
          ? undefined
          : unavailable('RESTARTING', `the ${name} service stopped unexpectedly and is being restarted; try again in a moment`, {command: 'status'})
      case 'stopped':
        return unavailable('SERVICE_DOWN', `the ${name} service is stopped; start it`, {command: 'service.start', service: name})
      case 'errored':
        // a store behind its followers says itself what to run
        if (d.behind) return unavailable('SERVICE_DOWN', `the ${name} service is errored: ${d.behind.message}`, d.behind.next)
        return unavailable('SERVICE_DOWN', `the ${name} service is errored: ${d.lastError ?? 'see its log'}; fix what its log says, then start it`, {command: 'logs', service: name})
    }
  }

  async start(name: ProcessName): Promise<void> {
    const d = this.daemonOf(name)
    d.wanted = true
    if (d.state === 'online') return
    if (d.restartTimer) clearTimeout(d.restartTimer)
    d.restartTimer = null
    const ready = this.whenReady(d)
    if (!d.child && !d.spawning) void this.spawn(d)
    await ready
  }

  async stop(name: ProcessName): Promise<void> {
    const d = this.daemonOf(name)
    d.wanted = false
    if (d.restartTimer) clearTimeout(d.restartTimer)
    d.restartTimer = null
    const child = d.child
    if (child) await this.terminate(child)
    d.state = 'stopped'
    this.announce(name, 'stopped')
  }

  /**
   * Zero-downtime restart: the successor is started first and waits, loaded, in standby; the old
   * process then stops gracefully (answers what it has in flight, leaves new messages unacknowledged
   * in its broker session); the successor takes the session over at once and the broker hands it
   * everything that waited. Requests see a short delay, not an error. A daemon that is not running
   * is simply started.
   */
  async restart(name: DaemonName): Promise<void> {
    const d = this.daemonOf(name)
    const old = d.child
    if (!old || d.state !== 'online') {
      await this.stop(name)
      return this.start(name)
    }
    const successor = this.forkDaemon(d, true)
    const standingBy = await new Promise<boolean>((resolve) => {
      successor.once('message', (m: DaemonReport) => resolve(m?.type === 'standby'))
      successor.once('exit', () => resolve(false))
    })
    if (!standingBy) throw unavailable('START_FAILED', `the new ${name} process did not start; the old one keeps running (log: ${this.dir.log(name)})`)
    d.state = 'restarting'
    d.handingOver = true
    const ready = this.whenReady(d)
    d.child = null // the old one's exit is expected, not a crash
    try {
      await this.terminate(old)
      d.child = successor
      d.startedAt = Date.now()
      d.lastError = d.lastNext = null
      successor.send({type: 'go'})
      this.log.info(`${name} handed over from pid ${old.pid} to pid ${successor.pid}`)
      await ready
    } finally {
      d.handingOver = false
    }
  }

  /**
   * `store recover NAME` (docs/commands.md): a stopped or errored daemon is started in recovery,
   * where it rebuilds what its store lost from its followers before it starts as usual. Resolves
   * with what it did once it is online; rejects with why it could not (UNRECOVERABLE: it stays
   * errored, its files as they were). An online daemon was checked when it started: nothing to do.
   */
  async recover(name: DaemonName): Promise<{report: RecoveryReport | null; processes: ProcessStatus[]}> {
    const d = this.daemonOf(name)
    if (d.state === 'online') return {report: null, processes: this.status()}
    if (d.child || d.spawning) {
      throw unavailable('RESTARTING', `the ${name} service is starting or restarting; recover it if it ends errored`, {command: 'status'})
    }
    d.wanted = true
    if (d.restartTimer) clearTimeout(d.restartTimer)
    d.restartTimer = null
    d.behind = null
    const reported = new Promise<RecoveryReport>((resolve) => (d.recovering = resolve))
    // reading every follower's journals can take longer than a start
    const ready = this.whenReady(d, this.settings.readyTimeoutMs + RECOVERY_MS)
    void this.spawn(d, true)
    try {
      const [report] = await Promise.all([reported, ready])
      return {report, processes: this.status()}
    } finally {
      d.recovering = null
    }
  }

  /** SIGTERM, then SIGKILL after stopTimeoutMs; resolves when the process is gone. */
  private async terminate(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    const killer = setTimeout(() => child.kill('SIGKILL'), this.settings.stopTimeoutMs)
    await exited
    clearTimeout(killer)
  }

  /**
   * `service scale view N` (docs/deploy.md#view-replicas): runs replicas `view-2` … `view-N` beside
   * `view`, each building the read model from the events into a store of its own; replicas above N
   * are stopped and forgotten. Only the view scales: one writer per store keeps the rules.
   */
  async scale(name: DaemonName, count: number): Promise<ProcessStatus[]> {
    if (name !== 'view') throw badInput(`only the view has replicas: ${name} keeps one writer for its store (docs/deploy.md#view-replicas)`)
    if (!Number.isInteger(count) || count < 1 || count > MAX_VIEW_REPLICAS) throw badInput(`the view runs 1 to ${MAX_VIEW_REPLICAS} replicas, not ${count}`)
    const extra = viewReplicas.slice(count).filter((replica) => this.daemons.has(replica))
    await Promise.all(extra.map(async (replica) => (await this.retire(replica), this.daemons.delete(replica))))
    await Promise.all(viewReplicas.slice(0, count).map((replica) => this.start(replica)))
    return this.status()
  }

  /** Stops a replica for good: told first, it ends its broker session as it goes (src/runtime/daemonProcess.ts retirement). */
  private async retire(replica: ProcessName): Promise<void> {
    const child = this.daemons.get(replica)?.child
    if (child?.connected) await new Promise((resolve) => child.send({type: 'retire'}, resolve))
    await this.stop(replica)
  }

  /**
   * Which process takes a request for this daemon: the view's next online replica, round robin
   * (aedes has no shared subscriptions; a replica not online is skipped), else the daemon itself,
   * whose refusal then says why. On an external broker the replicas share one subscription and the
   * broker spreads the requests (src/runtime/daemon.ts).
   */
  replicaFor(name: DaemonName): ProcessName {
    if (name !== 'view' || this.broker.url) return name
    const online = viewReplicas.filter((replica) => this.daemons.get(replica)?.state === 'online')
    if (online.length === 0) return name
    this.lastReplica = (this.lastReplica + 1) % online.length
    return online[this.lastReplica]
  }

  async stopAll(): Promise<void> {
    this.closing = true
    await Promise.all([...this.daemons.keys()].map((name) => this.stop(name)))
  }

  status(): ProcessStatus[] {
    return [...this.daemons.values()].map((d) => ({
      name: d.name,
      state: d.state,
      pid: d.child?.pid ?? null,
      uptimeMs: d.child && d.state === 'online' ? Date.now() - d.startedAt : 0,
      restarts: d.restarts,
      lastExit: d.lastExit,
      lastError: d.lastError,
      next: d.state === 'errored' ? (d.behind?.next ?? d.lastNext) : null,
      poisonMessages: d.counters.poison,
      duplicates: d.counters.duplicates,
    }))
  }

  breakers(): BreakerSummary[] {
    return [...this.daemons.values()].flatMap((d) => d.counters.breakers)
  }

  deadLetters(): DeadLetterSummary[] {
    return [...this.daemons.values()].flatMap((d) => d.counters.deadLetters)
  }

  private daemonOf(name: ProcessName): Daemon {
    let d = this.daemons.get(name)
    if (!d) {
      const role = roleOfProcess(name)
      if (!role) throw notFound('NO_SUCH_SERVICE', `no service named ${name}`)
      d = {
        name,
        role,
        state: 'offline',
        child: null,
        startedAt: 0,
        restarts: 0,
        lastExit: null,
        lastError: null,
        lastNext: null,
        wanted: true,
        delayMs: restartPolicy.firstDelayMs,
        fastCrashes: 0,
        restartTimer: null,
        ready: [],
        counters: {poison: 0, duplicates: 0, deadLetters: [], breakers: []},
        spawning: false,
        handingOver: false,
        storage: null,
        behind: null,
        recovering: null,
      }
      this.daemons.set(name, d)
    }
    return d
  }

  private async spawn(d: Daemon, recover = false): Promise<void> {
    d.spawning = true
    try {
      await this.reapLeftover(d.name)
    } finally {
      d.spawning = false
    }
    if (!d.wanted || this.closing || d.child) return
    try {
      d.child = this.forkDaemon(d, false, recover)
    } catch (error) {
      // its log file cannot be opened (a full disk): try again, as the daemon itself would be
      d.lastError = d.storage = storageProblem(error, this.dir.root, d.name)?.message ?? `cannot start ${d.name}: ${(error as Error).message}`
      this.log.error(d.lastError)
      return this.restartAfter(d, restartPolicy.storageRetryMs)
    }
    d.startedAt = Date.now()
    d.lastError = d.lastNext = null
  }

  /**
   * Forks the daemon's process; in standby it loads, then waits for `go` before touching its store;
   * `recover`: it rebuilds what its store lost from its followers before it starts.
   */
  private forkDaemon(d: Daemon, standby: boolean, recover = false): ChildProcess {
    const logFd = openSync(this.dir.log(d.name), 'a', 0o600)
    fchmodSync(logFd, 0o600) // also a log written before files were private
    const child = fork(daemonMain, [d.role, this.dir.root], {
      stdio: ['ignore', logFd, logFd, 'ipc'],
      env: {
        ...process.env,
        GDMARKET_PORT: String(this.broker.port),
        GDMARKET_BROKER_SOCKET: this.broker.socket ?? '', // none: TCP (never one from the user's environment)
        // an external broker the supervisor uses (empty: the embedded one, unless config.json names one since)
        GDMARKET_BROKER_URL: this.broker.url ?? '',
        GDMARKET_BROKER_CA_FILE: this.broker.caFile ?? '',
        GDMARKET_STANDBY: standby ? '1' : '0',
        GDMARKET_RECOVER: recover ? '1' : '0',
        GDMARKET_REPLICA: String(Math.max(1, (viewReplicas as readonly string[]).indexOf(d.name) + 1)), // view-2: 2; any other: 1
      },
      execArgv: STACK_NODE_FLAGS,
    })
    closeSync(logFd)
    this.log.info(`started ${d.name} (pid ${child.pid}${standby ? ', standby' : ''})`)
    child.on('message', (message: DaemonReport) => {
      if (d.child !== child) return
      switch (message?.type) {
        case 'ready':
          d.state = 'online'
          d.storage = null
          d.behind = null
          for (const w of d.ready.splice(0)) w.resolve()
          break
        case 'behind':
          d.lastError = message.message
          d.behind = new GdError(message.code, message.message, message.exit as ExitCode, message.next)
          break
        case 'recovery':
          d.recovering?.(message.report)
          d.recovering = null
          break
        case 'fatal':
          d.lastError = message.message
          d.lastNext = message.next ?? null
          break
        case 'storage':
          d.lastError = d.storage = message.message
          break
        case 'counters':
          d.counters = {poison: message.poison, duplicates: message.duplicates, deadLetters: message.deadLetters, breakers: message.breakers}
          break
      }
    })
    child.on('exit', (code, signal) => this.onExit(d, child, code, signal))
    return child
  }

  /**
   * A daemon of a supervisor that died may still be finishing its graceful stop: two instances
   * must never share a store, so wait for it to go (it exits on its own), then kill it.
   */
  private async reapLeftover(name: ProcessName): Promise<void> {
    const pid = livePid(this.dir.pidFile(name), this.dir.root, 'services/main.js')
    if (pid === undefined || pid === process.pid) return
    this.log.warn(`${name} of a previous supervisor still runs (pid ${pid}); waiting for it to stop`)
    const bound = Date.now() + this.settings.stopTimeoutMs
    while (isAlive(pid) && Date.now() < bound) await sleep(25)
    if (isAlive(pid)) {
      process.kill(pid, 'SIGKILL')
      while (isAlive(pid)) await sleep(10)
    }
  }

  private onExit(d: Daemon, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (d.child !== child) return
    d.child = null
    d.lastExit = signal ? `signal ${signal}` : `code ${code}`
    const upMs = Date.now() - d.startedAt
    this.log.info(`${d.name} exited (${d.lastExit}) after ${upMs} ms`)
    const failure = new GdError('START_FAILED', d.lastError ?? `the ${d.name} service exited (${d.lastExit}) before it was ready`, Exit.unavailable, d.lastNext ?? undefined)
    if (!d.wanted || this.closing) return
    if (code === EXIT_STORAGE) {
      // not a crash: it starts again once the disk lets it, however long that takes
      return this.restartAfter(d, restartPolicy.storageRetryMs)
    }
    if (code === EXIT_WONT_START) {
      // a person must fix something first (an unreadable store, a bad setting): restarting cannot help
      d.state = 'errored'
      this.announce(d.name, 'errored')
      for (const w of d.ready.splice(0)) w.reject(d.behind ?? failure)
      return
    }
    d.fastCrashes = upMs < restartPolicy.fastCrashMs ? d.fastCrashes + 1 : 0
    if (upMs >= restartPolicy.resetAfterMs) d.delayMs = restartPolicy.firstDelayMs
    if (d.fastCrashes >= restartPolicy.maxFastCrashes) {
      d.state = 'errored'
      d.lastError = `crashed ${d.fastCrashes} times in a row; see ${this.dir.log(d.name)}`
      this.announce(d.name, 'errored')
      for (const w of d.ready.splice(0)) w.reject(new Error(d.lastError))
      return
    }
    const delay = d.delayMs
    d.delayMs = Math.min(d.delayMs * restartPolicy.factor, restartPolicy.maxDelayMs)
    this.restartAfter(d, delay)
  }

  private restartAfter(d: Daemon, delayMs: number): void {
    d.state = 'restarting'
    d.restartTimer = setTimeout(() => {
      d.restartTimer = null
      d.restarts++
      void this.spawn(d)
    }, delayMs)
  }

  private whenReady(d: Daemon, timeoutMs = this.settings.readyTimeoutMs): Promise<void> {
    if (d.state === 'online') return Promise.resolve()
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        d.ready = d.ready.filter((w) => w.resolve !== done)
        reject(unavailable('NOT_READY', `the ${d.name} service was not ready within ${timeoutMs} ms`))
      }, timeoutMs)
      const done = () => {
        clearTimeout(timer)
        resolve()
      }
      d.ready.push({
        resolve: done,
        reject: (error) => {
          clearTimeout(timer)
          // a store behind its followers is not a failed start: the stack stays up for `store recover`
          if (error instanceof GdError) return reject(error)
          reject(unavailable('START_FAILED', `the ${d.name} service did not start: ${error.message} (log: ${this.dir.log(d.name)})`))
        },
      })
    })
  }

  /** Before starting: every daemon is offline until it says otherwise (the barrier and the CLI read this). */
  announceAllOffline(names: readonly ProcessName[]): Promise<unknown> {
    return Promise.all(names.map((name) => this.publishRetained(topics.status(name), liveness('offline', null))))
  }

  private announce(name: ProcessName, state: Liveness['state']): void {
    this.publishRetained(topics.status(name), liveness(state, null)).catch((error: Error) => this.log.warn(`cannot announce ${name} ${state}: ${error.message}`))
  }
}
