import type {BrokerAddress} from '../bus/connect.js'
import {MAX_VIEW_REPLICAS, viewReplica, type DaemonName, type ProcessName} from '../bus/topics.js'
import {loadSettings, type Settings} from '../config.js'
import {GdError, unavailable} from '../errors.js'
import type {NextStep} from '../nextStep.js'
import {dataDir, type DataDir} from '../paths.js'
import {removePidFile, writePidFile} from '../stackFile.js'
import {noRolePassword, readCredentials, readRolePassword} from '../bus/walls.js'
import type {ServiceStore} from '../store/serviceStore.js'
import {storageProblem} from '../store/storageProblem.js'
import {chosenStoreFile} from '../store/storeLocation.js'
import {createLog, type Log, type LogFormat} from './log.js'
import {EXIT_STORAGE, EXIT_WONT_START, type BreakerSummary, type ServiceDefinition} from './service.js'
import {openCheckedStore} from './storeCheck.js'
import type {RecoveryReport} from './storeRecovery.js'

/**
 * The daemon as a process (docs/architecture.md#each-service): its settings, credentials, pid
 * file and store, what it tells its supervisor over IPC, and when it must stop. The broker and the
 * service's own work are elsewhere (busAdapter.ts, serviceCore.ts).
 */

/** What a daemon tells its supervisor over IPC. */
export type DaemonReport =
  | {type: 'ready'}
  | {type: 'fatal'; message: string; next?: NextStep}
  /** it cannot write its files; it exits with EXIT_STORAGE and is tried again */
  | {type: 'storage'; message: string}
  /**
   * its store is behind what its followers have seen (STORE_BEHIND), or `store recover` could not
   * make it whole (UNRECOVERABLE): it exits with EXIT_WONT_START, and the stack stays up for the recovery
   */
  | {type: 'behind'; code: string; message: string; exit: number; next?: NextStep}
  /** what `store recover` did, before the daemon goes on to start */
  | {type: 'recovery'; report: RecoveryReport}
  | {type: 'standby'}
  | {
      type: 'counters'
      poison: number
      duplicates: number
      deadLetters: {service: string; eventId: string; type: string; error: string}[]
      breakers: BreakerSummary[]
    }

export const report = (message: DaemonReport) => process.send?.(message)

/**
 * A successor started for a zero-downtime restart: loaded and waiting, it must not touch the store
 * until its predecessor has stopped. The supervisor says `go` then.
 */
function standBy(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: {type?: string}) => {
      if (message?.type !== 'go') return
      process.off('message', onMessage)
      resolve()
    }
    process.on('message', onMessage)
    process.once('disconnect', () => process.exit(0)) // the supervisor went away before saying go
    report({type: 'standby'})
  })
}

/**
 * A daemon under the stack's supervisor, or alone on its host (`service run NAME`, docs/deploy.md):
 * then it logs JSON lines, logs in with its role's password from broker-credentials.json, and says
 * `offline` itself when it stops, as no supervisor does it for it.
 */
export interface DaemonOptions {
  alone?: boolean
  /** which replica of the view this is (1: `view`); under a supervisor GDMARKET_REPLICA says it */
  replica?: number
}

/**
 * The process's own name: the daemon's, or a view replica's (`view-2`, src/bus/topics.ts), which
 * names its client id, liveness, requests, store, pid, health and log files.
 */
function processNameOf(def: {name: DaemonName}, replica: number): ProcessName | undefined {
  if (def.name !== 'view') return replica === 1 ? def.name : undefined
  return Number.isInteger(replica) && replica >= 1 && replica <= MAX_VIEW_REPLICAS ? viewReplica(replica) : undefined
}

/** Everything a daemon has once it started as a process, before it joins the broker. */
export interface DaemonProcess<S> {
  /** the daemon's name, or its replica's (`view-2`) */
  name: ProcessName
  dir: DataDir
  log: Log
  alone: boolean
  settings: Settings
  /** its password at the broker (run/credentials.json) */
  password: string
  store: ServiceStore<S>
  broker: BrokerAddress
  /** says why it cannot go on, and exits: never to be restarted, or restarted when it is the disk */
  fatal(error: unknown): never
}

/** Reads its settings and credentials, waits its turn (standby), writes its pid and opens its checked store. */
export async function startDaemonProcess<S>(def: ServiceDefinition<S>, root: string, {alone = false, replica}: DaemonOptions = {}): Promise<DaemonProcess<S>> {
  const dir = dataDir(root)
  const format: LogFormat = alone ? 'json' : 'text'
  const wanted = replica ?? Number(process.env.GDMARKET_REPLICA || 1)
  const named = processNameOf(def, wanted)
  const name: ProcessName = named ?? def.name
  const log = createLog(name, undefined, format)
  const fatal = (error: unknown): never => {
    const storage = storageProblem(error, root, def.name)
    const message = storage?.message ?? (error instanceof Error ? error.message : String(error))
    log.error(message)
    if (error instanceof GdError && (error.code === 'STORE_BEHIND' || error.code === 'UNRECOVERABLE')) {
      report({type: 'behind', code: error.code, message, exit: error.exit, next: error.next})
    } else report(storage ? {type: 'storage', message} : {type: 'fatal', message, next: error instanceof GdError ? error.next : undefined})
    // a broker not there yet (hosts start in any order) is worth trying again, as a full disk is (EX_TEMPFAIL)
    const again = storage || (error instanceof GdError && error.code === 'NO_BROKER')
    process.exit(again ? EXIT_STORAGE : EXIT_WONT_START)
  }
  try {
    if (!named) throw new Error(`no replica ${wanted} of ${def.name}: only the view has replicas, 1 to ${MAX_VIEW_REPLICAS}`)
    const settings = loadSettings(dir.configFile).values
    const password = alone ? readRolePassword(dir.brokerCredentialsFile, def.name) : readCredentials(dir.credentialsFile)?.[def.name]
    if (!password && alone) throw new Error(noRolePassword(dir.brokerCredentialsFile, def.name))
    if (!password) throw new Error(`no credentials for the broker in ${dir.credentialsFile}: a daemon runs under the stack's supervisor, which writes them as it starts`)
    if (process.env.GDMARKET_STANDBY === '1') await standBy()
    writePidFile(dir.pidFile(name))
    process.on('exit', () => removePidFile(dir.pidFile(name)))
    const recover = process.env.GDMARKET_RECOVER === '1'
    const broker = {
      port: settings.port,
      socket: process.env.GDMARKET_BROKER_SOCKET || undefined,
      url: settings.brokerUrl || undefined,
      caFile: settings.brokerCaFile || undefined,
    }
    const file = chosenStoreFile(root, def.name, settings, name)
    const opened = await openCheckedStore(def, {file, broker, password, log, recover})
    for (const note of opened.store.openNotes) log.warn(note)
    if (opened.recovery) report({type: 'recovery', report: opened.recovery})
    return {name, dir, log, alone, settings, password, store: opened.store, broker, fatal}
  } catch (error) {
    return fatal(error)
  }
}

/**
 * The store is the truth: once a write failed, memory is ahead of the disk and nothing may be
 * acknowledged or read any more. Every caller hears why; then the daemon exits, and its
 * supervisor starts it again from what is on disk (again and again while the disk is full).
 */
export function storeFailureLatch(name: string, root: string, log: Log) {
  let broken: GdError | undefined
  return {
    /** why nothing may be answered any more, once the store failed */
    refusal: () => broken,
    failed(error: Error): GdError {
      if (broken) return broken
      const storage = storageProblem(error, root, name)
      broken = storage ?? unavailable('STORE_FAILED', `the ${name} service could not write its store (${error.message}); it restarts on its own`)
      log.error(`cannot write the store: ${storage ? broken.message : error.stack}`)
      if (storage) report({type: 'storage', message: storage.message})
      // a moment for the refusals to reach their callers
      setTimeout(() => process.exit(storage ? EXIT_STORAGE : 1), 200)
      return broken
    },
  }
}

/**
 * A view replica that `service scale` takes away is told so (`retire`) before its SIGTERM: it then
 * ends its broker session as it goes, so a shared subscription gives it no more requests
 * (docs/deploy.md#view-replicas). Any other stop under a supervisor keeps the session for its successor.
 */
export function retirement(): () => boolean {
  let retiring = false
  process.on('message', (message: {type?: string}) => void (message?.type === 'retire' && (retiring = true)))
  return () => retiring
}

/**
 * Stops gracefully on SIGTERM or SIGINT, and when the supervisor is gone: no orphan may keep
 * running on its own. The IPC channel is not the only sign: a daemon whose parent died is handed
 * to another (init), so the parent's pid is watched too (an orphan once outlived its supervisor by 38 minutes).
 */
export function stopWhenAsked(stop: (why: string) => void): void {
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
  process.on('disconnect', () => stop('supervisor went away'))
  const parent = process.ppid
  setInterval(() => process.ppid !== parent && stop(`supervisor (pid ${parent}) went away`), 500).unref()
}
