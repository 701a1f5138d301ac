import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {loadSettings} from '../../src/config.js'
import {GdError} from '../../src/errors.js'
import {ServiceStore} from '../../src/store/serviceStore.js'
import type {StoreKind} from '../../src/store/storeFiles.js'
import {chosenStoreFile, migrationLock} from '../../src/store/storeLocation.js'
import {migrateStore, type MigrationDeps} from '../../src/store/storeMigration.js'
import {envelope, expectRejection, registered, reserved} from './given.js'

interface Counter {
  count: number
}
const service = {name: 'item', initialState: (): Counter => ({count: 0}), evolve: (state: Counter): Counter => ({count: state.count + 1})}

let root: string
let setting: StoreKind
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gdmarket-migrate-'))
  mkdirSync(join(root, 'run'))
  setting = 'json'
})
afterEach(() => rmSync(root, {recursive: true, force: true}))

const deps = (running?: number): MigrationDeps => ({root, setting, running: () => running, switchSetting: (kind) => (setting = kind)})
const open = (kind: StoreKind) => ServiceStore.open(service.name, join(root, `item.${kind}`), service.initialState, service.evolve)
const res = (seq: number) => envelope(reserved(seq), {seq})

/** Everything a store holds that a migration must carry: the document and the evidence it keeps for its followers. */
async function everything(kind: StoreKind) {
  const store = await open(kind)
  try {
    return {document: structuredClone(store.document), witnessed: await store.witnessed('reservation', 0, 1000)}
  } finally {
    await store.closeUnchanged()
  }
}

/** A store with every kind of record: own events (one published), applied ones, held, a dead letter, two snapshots' worth of journal. */
const early = res(5)
async function fullStore(kind: StoreKind): Promise<void> {
  const store = await open(kind)
  await store.commit({state: {count: 2}, events: [envelope(registered(), {seq: 1})], incoming: res(1)})
  await store.flush()
  await store.commit({state: {count: 3}, incoming: res(2)})
  await store.commit({state: {count: 3}, hold: early})
  await store.commit({state: {count: 3}, deadLetter: {event: res(3), error: 'boom', attempts: 1, at: 'then'}})
  store.markPublished(1)
  await store.commit({state: {count: 4}, events: [envelope(registered({itemNo: 2, itemName: 'Tent', itemPrice: 40}), {seq: 2})]})
  await store.close()
}

describe('migrating a store between kinds', () => {
  it.each([['json', 'sqlite'], ['sqlite', 'json']] as const)('from %s to %s: every record the same, the setting switched, the old files in backup/', async (from, to) => {
    setting = from
    await fullStore(from)
    const before = await everything(from)
    expect(before.document.held).toEqual({reservation: [early]})
    const report = await migrateStore(service, to, deps())
    expect(report).toMatchObject({from, to, events: 2, inbox: {reservation: 3}, held: 1, deadLetters: 1})
    expect(setting).toBe(to)
    expect(await everything(to)).toEqual(before)
    expect(existsSync(join(root, `item.${from}`))).toBe(false)
    expect(readdirSync(report.backup!)).toContain(`item.${from}`)
    expect(readdirSync(join(root, 'run'))).toEqual([]) // no lock, no staging left
    // and it goes on from there: the next commit follows the moved ones
    const store = await open(to)
    await store.commit({state: {count: 5}, events: [envelope(registered({itemNo: 3, itemName: 'Lamp', itemPrice: 5}), {seq: 3})]})
    await store.close()
    expect((await everything(to)).document.events.map((e) => e.seq)).toEqual([1, 2, 3])
  })

  it('refuses while the service runs (exit 3), and touches nothing', async () => {
    await fullStore('json')
    const error = await migrateStore(service, 'sqlite', deps(4242)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GdError)
    expect(error).toMatchObject({code: 'SERVICE_ONLINE', exit: 3})
    expect((error as GdError).message).toMatch(/running \(pid 4242\): stop it first, then migrate/)
    expect((error as GdError).next).toEqual({command: 'service.stop', service: 'item'})
    expect(setting).toBe('json')
    expect(existsSync(join(root, 'item.sqlite'))).toBe(false)
  })

  it('refuses a journal that ends in a record a crash left: only the followers can judge it', async () => {
    const store = await open('json')
    await store.commit({state: {count: 1}, events: [envelope(registered(), {seq: 1})]})
    const {appendFileSync} = await import('node:fs')
    appendFileSync(join(root, 'item.journal'), '{"n":2,"own":[{"id"')
    await expect(migrateStore(service, 'sqlite', deps())).rejects.toMatchObject({code: 'STORE_UNSETTLED', exit: 3})
    expect(setting).toBe('json')
  })

  it('with nothing stored yet, only switches the setting; already there, does nothing', async () => {
    expect(await migrateStore(service, 'sqlite', deps())).toMatchObject({from: null, to: 'sqlite', backup: null})
    expect(setting).toBe('sqlite')
    await fullStore('sqlite')
    expect(await migrateStore(service, 'sqlite', deps())).toMatchObject({from: 'sqlite', to: 'sqlite', backup: null})
  })
})

describe('which store a starting service opens', () => {
  const settings = (kind: StoreKind) => ({...loadSettings(join(root, 'config.json'), {}, {}).values, itemStore: kind})

  it('the kind its setting names, a new one when there is none of either kind', () => {
    expect(chosenStoreFile(root, 'item', settings('sqlite'))).toBe(join(root, 'item.sqlite'))
  })

  it('refuses (exit 5) a kind that has no store when the other has one, a journal alone too, naming both ways out', async () => {
    const store = await open('json')
    await store.commit({state: {count: 1}, events: [envelope(registered(), {seq: 1})]})
    await store.closeUnchanged() // killed before its first snapshot: item.journal alone
    expect(existsSync(join(root, 'item.json'))).toBe(false)
    expectRejection(() => chosenStoreFile(root, 'item', settings('sqlite')), {
      code: 'STORE_KIND',
      exit: 5,
      message: /the item store is .*item\.json \(json\) but itemStore \(or GDMARKET_ITEM_STORE\) says sqlite: move it to sqlite, or keep it as it is by setting itemStore to json/,
      next: {command: 'store.migrate', service: 'item', to: 'sqlite'},
    })
  })

  it('refuses (exit 5) while a migration of it runs, and not after one that died', () => {
    writeFileSync(migrationLock(root, 'item'), `${process.ppid}\n`)
    expectRejection(() => chosenStoreFile(root, 'item', settings('json')), {code: 'MIGRATING', exit: 5, message: /being migrated/})
    writeFileSync(migrationLock(root, 'item'), '2147483646\n')
    expect(chosenStoreFile(root, 'item', settings('json'))).toBe(join(root, 'item.json'))
  })
})
