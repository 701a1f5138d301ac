import {closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync} from 'node:fs'
import path from 'node:path'

import type {Envelope} from '../bus/events.js'
import {Exit, GdError} from '../errors.js'
import {writeJsonStore} from './jsonFiles.js'
import {ServiceStore} from './serviceStore.js'
import {writeSqliteStore} from './sqliteFiles.js'
import type {JournalRecord, StoreDoc} from './storeDoc.js'
import type {StoreKind} from './storeFiles.js'
import {filesOfStore, migrationLock, migrationUnderWay, otherKind, storeExists, storeFileOf} from './storeLocation.js'

/** What a migration needs of the service: how its state is made and evolved (to open the old store). */
export interface MigratedService<S> {
  name: string
  initialState: () => S
  evolve: (state: S, event: Envelope) => S
}

export interface MigrationDeps {
  root: string
  /** the store kind the service's setting names now */
  setting: StoreKind
  /** the pid of the service's daemon if it runs (its pid file, checked to be that daemon) */
  running(): number | undefined
  /** writes the setting that makes the service open the new kind */
  switchSetting(kind: StoreKind): void
}

/** What a store migration did (docs/storage.md, store migrate). */
export interface MigrationReport {
  service: string
  from: StoreKind | null
  to: StoreKind
  file: string
  /** where the old files are kept, or null when there were none */
  backup: string | null
  events: number
  inbox: Record<string, number>
  held: number
  deadLetters: number
  /** journal records kept as evidence for the stores that follow this one */
  evidence: number
}

/**
 * Moves a stopped service's store to another kind and loses nothing (docs/storage.md): it is read
 * whole, written whole under run/ and checked against what was read; only then does the setting
 * change and the new files take their place, and the old ones go to backup/. Until the new main
 * file is in place the old store is the one a starting service opens (or refuses to, naming this
 * command); a migration that dies leaves it authoritative and is run again.
 */
export async function migrateStore<S>(service: MigratedService<S>, to: StoreKind, deps: MigrationDeps): Promise<MigrationReport> {
  const {name} = service
  const target = storeFileOf(deps.root, name, to)
  const from = [deps.setting, otherKind(deps.setting)].find((kind) => storeExists(deps.root, name, kind)) ?? null
  const report = (doc?: StoreDoc<S>, evidence = 0, backup: string | null = null): MigrationReport => ({
    service: name, from, to, file: target, backup, evidence,
    events: doc?.events.length ?? 0,
    inbox: Object.fromEntries(Object.entries(doc?.inbox ?? {}).map(([source, mark]) => [source, mark.upTo])),
    held: Object.values(doc?.held ?? {}).flat().length,
    deadLetters: doc?.deadLetters?.length ?? 0,
  })
  if (from === to || from === null) {
    if (deps.setting !== to) deps.switchSetting(to) // nothing to move: a new store of that kind starts empty
    return report()
  }
  const release = takeLock(deps.root, name)
  try {
    const pid = deps.running()
    if (pid !== undefined) throw new GdError('SERVICE_ONLINE', `the ${name} service is running (pid ${pid}): stop it first, then migrate`, Exit.refused, {command: 'service.stop', service: name})
    const {doc, evidence} = await readWhole(service, storeFileOf(deps.root, name, from))
    const staging = path.join(deps.root, 'run', `${name}.migration`)
    rmSync(staging, {recursive: true, force: true}) // what a migration that died left
    mkdirSync(staging, {recursive: true, mode: 0o700})
    const staged = path.join(staging, path.basename(target))
    await (to === 'sqlite' ? writeSqliteStore(name, staged, doc, evidence) : writeJsonStore(staged, doc, evidence))
    await verify(service, staged, doc)
    deps.switchSetting(to)
    const backup = path.join(deps.root, 'backup', `${name}-${from}-${new Date().toISOString().replace(/[:.]/g, '-')}`)
    moveAll(filesOfStore(target, to), path.join(backup, 'stale')) // another copy of the new kind, never switched to
    // the main file last: until it is in place, the old store is the one there is
    for (const file of filesOfStore(target, to).reverse()) if (existsSync(path.join(staging, path.basename(file)))) renameSync(path.join(staging, path.basename(file)), file)
    moveAll(filesOfStore(storeFileOf(deps.root, name, from), from), backup)
    rmSync(staging, {recursive: true, force: true})
    return report(doc, evidence.length, backup)
  } finally {
    release()
  }
}

/** The store opened and replayed whole, with the records it keeps as evidence, one per commit number. */
async function readWhole<S>(service: MigratedService<S>, file: string): Promise<{doc: StoreDoc<S>; evidence: JournalRecord[]}> {
  const store = await ServiceStore.open(service.name, file, service.initialState, service.evolve)
  try {
    if (store.tail) {
      throw new GdError(
        'STORE_UNSETTLED',
        `${store.lossFile} ends in a record a crash left (${store.tail.bytes} bytes) that only its followers can judge: start ${service.name} once, stop it, then migrate`,
        Exit.refused,
        {command: 'service.start', service: service.name},
      )
    }
    const byN = new Map((await store.records()).map((r) => [r.n, r]))
    return {doc: store.document, evidence: [...byN.values()].sort((a, b) => a.n - b.n)}
  } finally {
    await store.closeUnchanged()
  }
}

/** The new store, opened as its service will open it, holds exactly what the old one did. */
async function verify<S>(service: MigratedService<S>, file: string, before: StoreDoc<S>): Promise<void> {
  const store = await ServiceStore.open(service.name, file, service.initialState, service.evolve)
  try {
    const after = store.document
    const same = (what: string, a: unknown, b: unknown) => {
      if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`the new ${service.name} store's ${what} differs from the old one's; nothing was switched`)
    }
    same('state', after.state, before.state)
    same('events', after.events, before.events)
    same('inbox', after.inbox, before.inbox)
    same('held events', after.held ?? {}, before.held ?? {})
    same('dead letters', after.deadLetters ?? [], before.deadLetters ?? [])
    same('published seq', after.publishedSeq, before.publishedSeq)
    same('commit number', after.journalN ?? 0, before.journalN ?? 0)
  } finally {
    await store.closeUnchanged()
  }
}

function moveAll(files: string[], into: string): void {
  const present = files.filter((file) => existsSync(file))
  if (present.length === 0) return
  mkdirSync(into, {recursive: true, mode: 0o700})
  for (const file of present) renameSync(file, path.join(into, path.basename(file)))
}

/**
 * One migration of a store at a time, and none while its service starts: the lock holds this
 * process's pid, and a starting service checks it after writing its own pid file, as this checks
 * that pid file after taking the lock, so one of the two always sees the other.
 */
function takeLock(root: string, name: string): () => void {
  const lock = migrationLock(root, name)
  mkdirSync(path.dirname(lock), {recursive: true, mode: 0o700})
  const other = migrationUnderWay(root, name)
  if (other !== undefined) throw new GdError('MIGRATING', `another migration of the ${name} store is running (pid ${other}); wait for it`, Exit.unavailable)
  rmSync(lock, {force: true}) // one a dead migration left
  let fd: number
  try {
    fd = openSync(lock, 'wx', 0o600)
  } catch {
    throw new GdError('MIGRATING', `another migration of the ${name} store has just begun; wait for it`, Exit.unavailable)
  }
  writeSync(fd, `${process.pid}\n`)
  closeSync(fd)
  return () => {
    try {
      if (readFileSync(lock, 'utf8').trim() === String(process.pid)) rmSync(lock, {force: true})
    } catch {} // already gone
  }
}
