import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {envName, type Settings, type SettingKey} from '../config.js'
import {Exit, GdError} from '../errors.js'
import {isAlive} from '../stackFile.js'
import type {StoreKind} from './storeFiles.js'

/**
 * Where a service's store is in the data dir, by its kind (docs/storage.md): `<name>.json` with
 * `<name>.journal` and `<name>.journal.prev`, or `<name>.sqlite` with SQLite's `-wal` and `-shm`.
 */
export const storeFileOf = (root: string, name: string, kind: StoreKind): string => path.join(root, `${name}.${kind}`)

/** Every file of a store of that kind, the main one first. */
export function filesOfStore(file: string, kind: StoreKind): string[] {
  if (kind === 'sqlite') return [file, `${file}-wal`, `${file}-shm`]
  const journal = file.replace(/\.json$/, '.journal')
  return [file, journal, `${journal}.prev`]
}

/**
 * Whether a store of that kind is there: any of its files. A JSON store killed before its first
 * snapshot is a journal alone, and holds acknowledged commits all the same.
 */
export const storeExists = (root: string, name: string, kind: StoreKind): boolean =>
  filesOfStore(storeFileOf(root, name, kind), kind).some((file) => existsSync(file))

/** The setting that picks a service's store kind: `paymentStore`. */
export const storeSetting = (name: string): SettingKey => `${name}Store` as SettingKey

export const otherKind = (kind: StoreKind): StoreKind => (kind === 'json' ? 'sqlite' : 'json')

/** A migration's lock: a service does not open its store while one runs (src/store/storeMigration.ts). */
export const migrationLock = (root: string, name: string): string => path.join(root, 'run', `${name}.migrating`)

/** The pid of a migration of this store that is running now; a lock a crashed one left counts for nothing. */
export function migrationUnderWay(root: string, name: string): number | undefined {
  try {
    const pid = Number(readFileSync(migrationLock(root, name), 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && isAlive(pid) ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * The store file a service opens, of the kind its setting names. Refused (exit 5, one line saying
 * what to run) while a migration of it runs, and when that kind has no store but the other kind
 * has: a new empty store would hide the data (and give its numbers out again). `fileName`: a view
 * replica's own store (`view-2`), of the kind the view's setting names.
 */
export function chosenStoreFile(root: string, name: string, settings: Settings, fileName = name): string {
  const migrating = migrationUnderWay(root, name)
  if (migrating !== undefined) {
    throw new GdError('MIGRATING', `the ${name} store is being migrated (pid ${migrating}); start ${name} once that is done`, Exit.unavailable, {command: 'service.start', service: name})
  }
  const key = storeSetting(name)
  const kind = settings[key] as StoreKind
  const file = storeFileOf(root, fileName, kind)
  const other = storeFileOf(root, fileName, otherKind(kind))
  if (storeExists(root, fileName, kind) || !storeExists(root, fileName, otherKind(kind))) return file
  throw new GdError(
    'STORE_KIND',
    `the ${name} store is ${other} (${otherKind(kind)}) but ${key} (or ${envName(key)}) says ${kind}: ` +
      `move it to ${kind}, or keep it as it is by setting ${key} to ${otherKind(kind)}`,
    Exit.unavailable,
    {command: 'store.migrate', service: name, to: kind},
  )
}
