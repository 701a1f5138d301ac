import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {runProcess} from '../../src/childProcess.js'
import {definitions} from '../../src/services/definitions.js'
import {ServiceStore} from '../../src/store/serviceStore.js'
import {startStack, type Stack} from './stack.js'

/**
 * `gdmarket store migrate` (issue 19): a stopped service's store moved between the JSON and the
 * SQLite kind, every record compared before and after, the market going on from it.
 */
let stack: Stack | undefined
afterEach(async () => {
  await stack?.stop()
  stack = undefined
})

const payment = definitions.payment
const fileOf = (s: Stack, kind: string) => path.join(s.dataDir, `payment.${kind}`)

/** Every record of the payment store as its service would open it: state, events, inbox, held, dead letters, outbox mark, and what it keeps for its followers. */
async function recordsOf(file: string) {
  const store = await ServiceStore.open('payment', file, payment.initialState, payment.evolve)
  try {
    const {state, events, inbox, held, deadLetters, publishedSeq, journalN} = structuredClone(store.document)
    const witnessed = await store.witnessed('reservation', 0, 10_000)
    return {state, events, inbox, held: held ?? {}, deadLetters: deadLetters ?? [], publishedSeq, journalN, witnessed}
  } finally {
    await store.closeUnchanged()
  }
}

/** A few rentals, so payment has events of both kinds and has applied reservation's. */
async function market(s: Stack, rentals: number): Promise<void> {
  for (let i = 0; i < rentals; i++) {
    const {itemNo} = await s.json(['item', 'register', '--name', `Thing ${i}`, '--price', String(10 + i)])
    const {reservationNo} = await s.json(['reserve', String(itemNo), '--customer', `Renter ${i}`])
    await s.json(['pay', String(reservationNo)])
    if (i % 3 === 1) await s.json(['payment', 'cancel', String(reservationNo)])
    if (i % 3 === 2) await s.json(['reservation', 'cancel', String(reservationNo)])
  }
}

describe('store migrate', () => {
  it('moves payment from SQLite to JSON and back: every record the same, the old files kept, the market goes on', async () => {
    stack = await startStack()
    await market(stack, 6)
    const payments = await stack.json(['payment', 'list'])

    const online = await stack.cli('store', 'migrate', 'payment', '--to', 'json')
    expect(online.code).toBe(3)
    expect(online.stderr.trim().split('\n')).toEqual([expect.stringMatching(/the payment service is running \(pid \d+\): stop it first, then migrate: `gdmarket service stop payment --data-dir /)])
    expect(existsSync(fileOf(stack, 'json'))).toBe(false)

    await stack.json(['service', 'stop', 'payment'])
    const before = await recordsOf(fileOf(stack, 'sqlite'))
    expect(before.events.length).toBeGreaterThanOrEqual(8)
    expect(before.inbox.reservation.upTo).toBeGreaterThan(0)
    // Debian's sqlite3 shell reads it too (docs/storage.md)
    const sql = "SELECT count(*) FROM events; SELECT up_to FROM inbox WHERE source = 'reservation';"
    const shell = await runProcess('sqlite3', ['-readonly', fileOf(stack, 'sqlite'), sql], {env: {PATH: process.env.PATH ?? ''}, timeoutMs: 10_000})
    expect(shell.stdout.trim().split('\n')).toEqual([String(before.events.length), String(before.inbox.reservation.upTo)])

    const toJson = await stack.json(['store', 'migrate', 'payment', '--to', 'json'])
    expect(toJson).toMatchObject({service: 'payment', from: 'sqlite', to: 'json', events: before.events.length})
    expect(existsSync(fileOf(stack, 'sqlite'))).toBe(false)
    expect(readdirSync(toJson.backup)).toContain('payment.sqlite')
    expect(await recordsOf(fileOf(stack, 'json'))).toEqual(before)
    expect(await stack.json(['config', 'get', 'paymentStore'])).toMatchObject({value: 'json', source: 'file'})

    await stack.json(['service', 'start', 'payment'])
    expect(await stack.json(['payment', 'list'])).toEqual(payments)
    await market(stack, 2) // new numbers go on from the moved ones
    const more = await stack.json(['payment', 'list'])
    expect(more.map((p: {paymentNo: number}) => p.paymentNo)).toEqual([...payments.map((p: {paymentNo: number}) => p.paymentNo), payments.length + 1, payments.length + 2])

    await stack.json(['service', 'stop', 'payment'])
    const middle = await recordsOf(fileOf(stack, 'json'))
    const toSqlite = await stack.json(['store', 'migrate', 'payment', '--to', 'sqlite'])
    expect(toSqlite).toMatchObject({from: 'json', to: 'sqlite', events: middle.events.length})
    expect(await recordsOf(fileOf(stack, 'sqlite'))).toEqual(middle)
    await stack.json(['service', 'start', 'payment'])
    expect(await stack.json(['payment', 'list'])).toEqual(more)
  })

  it('a migration that died leaves the old store in charge: the service starts on it, and migrate runs again', async () => {
    stack = await startStack()
    await market(stack, 2)
    await stack.json(['service', 'stop', 'payment'])
    const before = await recordsOf(fileOf(stack, 'sqlite'))
    // what a migration killed while writing leaves: its lock (a pid that is gone) and half a copy
    writeFileSync(path.join(stack.dataDir, 'run', 'payment.migrating'), '2147483646\n')
    mkdirSync(path.join(stack.dataDir, 'run', 'payment.migration'))
    writeFileSync(path.join(stack.dataDir, 'run', 'payment.migration', 'payment.json'), '{"format": 1, "sta')
    await stack.json(['service', 'start', 'payment'])
    expect((await stack.json(['payment', 'list'])).length).toBe(2)

    // …and one killed after switching the setting, before its copy was in place
    await stack.json(['service', 'stop', 'payment'])
    await stack.json(['config', 'set', 'paymentStore', 'json'])
    const refused = await stack.cli('service', 'start', 'payment')
    expect(refused.code).toBe(5)
    expect(refused.stderr).toContain('gdmarket store migrate payment --to json')
    await stack.json(['store', 'migrate', 'payment', '--to', 'json'])
    expect(await recordsOf(fileOf(stack, 'json'))).toEqual(before)
    await stack.json(['service', 'start', 'payment'])
    expect((await stack.json(['payment', 'list'])).length).toBe(2)
    expect(readFileSync(path.join(stack.dataDir, 'config.json'), 'utf8')).toContain('"paymentStore": "json"')
  })
})
