import {copyFileSync, readFileSync, statSync, truncateSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {verify, type Acked} from './marketFacts.js'
import {eventually, gatewayOf, isGone, startStack, type Stack} from './stack.js'

/**
 * A store that lost what its followers have already applied (issue 16): the stack does not serve
 * from it, says so in one line, and `store recover` rebuilds it from the followers. Each way a
 * store falls behind is checked for the refusal, the recovery, and the market's invariants after.
 */
let stack: Stack | undefined
let clients: ReturnType<typeof gatewayOf>[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await stack?.stop()
  stack = undefined
})

/** `cycles` rentals by `workers` renters at once; every fifth cancelled, every seventh left reserved and paid. */
async function rentals(s: Stack, acked: Acked[], cycles: number, workers = 4): Promise<void> {
  const client = gatewayOf(s.dataDir)
  clients.push(client)
  const {market} = client
  let next = 0
  const renter = async () => {
    while (next < cycles) {
      const n = acked.length + 1
      next++
      const a: Acked = {tried: new Set()}
      acked.push(a)
      a.item = await market.item.register({itemName: `Thing ${n}`, itemPrice: 10 + (n % 90)})
      const itemNo = a.item.itemNo
      a.reservationNo = (await market.reservation.reserve({itemNo, customerName: `Renter ${n}`, customerId: `r${n}`})).reservationNo
      await market.reservation.pay({reservationNo: a.reservationNo})
      a.paid = true
      if (n % 7 === 0) continue // stays reserved: one active reservation on its item
      if (n % 5 === 0) {
        a.tried.add('cancel') // a cancel refunds: the reservation is no longer Paid
        await market.reservation.cancel({reservationNo: a.reservationNo})
        a.cancelled = true
        continue
      }
      await market.item.lend({itemNo: itemNo})
      a.lent = true
      await market.item.return({itemNo: itemNo})
      a.returned = true
    }
  }
  await Promise.all(Array.from({length: workers}, renter))
}

/** kill -9 of every process at once: the daemons in the same instant as the supervisor, so none stops gracefully. */
async function killEverything(s: Stack): Promise<void> {
  const status = await s.json(['status'])
  // the supervisor last: a daemon that saw it go first would stop gracefully
  const pids: number[] = status.processes.map((p: {pid: number | null}) => p.pid).filter(Boolean).reverse()
  for (const pid of pids) process.kill(pid, 'SIGKILL')
  await eventually(() => expect(pids.filter((pid) => !isGone(pid))).toEqual([]), {timeoutMs: 15_000})
}

const up = (s: Stack) => s.cli('up', '--port', '0', '--http-port', '0')

/** The refusal: `up` exits 5 naming the store, status shows it errored with that reason, its requests are refused with it. */
async function expectRefused(s: Stack, file: string): Promise<number> {
  const started = await up(s)
  expect(started.code, started.stderr).toBe(5)
  const reason = new RegExp(`(\\d+) reservation events are missing from the end of ${file.replaceAll('.', '\\.')} \\(seq \\d+–\\d+\\): .* applied them; .*rebuild them from its followers`)
  // the CLI says the next step as its command line
  const withLine = new RegExp(`${reason.source}: \`gdmarket store recover reservation`)
  expect(started.stderr).toMatch(withLine)
  expect(started.stderr.trim().split('\n')).toHaveLength(1)
  const status = await s.json(['status'])
  expect(status.processes.map((p: {name: string; state: string}) => `${p.name} ${p.state}`)).toEqual([
    'supervisor online',
    'item online',
    'reservation errored',
    'payment online',
    'view online',
  ])
  const errored = status.processes.find((p: {name: string}) => p.name === 'reservation')
  expect(errored.lastError).toMatch(reason)
  expect(errored.next).toEqual({command: 'store.recover', service: 'reservation'})
  const table = await s.cli('status')
  expect(table.stdout).toMatch(new RegExp(`^reservation: ${withLine.source}`, 'm'))
  const refused = await s.cli('reservation', 'list')
  expect(refused.code).toBe(5)
  expect(refused.stderr).toMatch(/reservation service is errored: \d+ reservation events are missing/)
  return Number(reason.exec(started.stderr)![1])
}

/** After the recovery: every acknowledged fact, and a new rental gets a new number that every service takes. */
async function expectWhole(s: Stack, acked: Acked[]): Promise<void> {
  await eventually(() => verify(s, acked), {timeoutMs: 30_000, intervalMs: 500})
  const numbers = acked.map((a) => a.reservationNo!)
  const {itemNo} = await s.json(['item', 'register', '--name', 'Fresh', '--price', '33'])
  const fresh = await s.json(['reserve', String(itemNo), '--customer', 'Newcomer'])
  expect(fresh.reservationNo).toBe(Math.max(...numbers) + 1)
  // its own payment, not another item's (a reused number once answered with one)
  expect(await s.json(['pay', String(fresh.reservationNo)])).toMatchObject({reservationNo: fresh.reservationNo, itemNo, amount: 33, paymentStatus: 'Paid'})
  expect(await s.json(['reservation', 'show', String(fresh.reservationNo)])).toMatchObject({paymentStatus: 'Paid', itemNo})
  expect(await s.json(['item', 'show', String(itemNo)])).toMatchObject({itemStatus: 'NotRentable', reservationNo: fresh.reservationNo})
  expect((await s.json(['view'])).find((r: {itemNo: number}) => r.itemNo === itemNo)).toMatchObject({
    reservationNo: fresh.reservationNo,
    customerName: 'Newcomer',
    paymentStatus: 'Paid',
  })
  const status = await s.json(['status'])
  expect(status.processes.every((p: {state: string}) => p.state === 'online')).toBe(true)
  expect(status.processes.map((p: {poisonMessages: number}) => p.poisonMessages)).toEqual([0, 0, 0, 0, 0])
}

describe('a store behind what its followers have seen', () => {
  it('a journal cut back to 60 % after kill -9 under load: refused with its reason, untouched, rebuilt by store recover', async () => {
    stack = await startStack()
    const s = stack
    const acked: Acked[] = []
    await rentals(s, acked, 80)
    await killEverything(s)
    const journal = path.join(s.dataDir, 'reservation.journal')
    const size = statSync(journal).size
    truncateSync(journal, Math.floor(size * 0.6)) // a restored backup, a lossy filesystem
    const cut = readFileSync(journal)

    const missing = await expectRefused(s, journal)
    expect(missing).toBeGreaterThanOrEqual(20)
    expect(readFileSync(journal).equals(cut)).toBe(true) // nothing overwritten, the torn line neither

    const recovered = await s.json(['store', 'recover', 'reservation'])
    expect(recovered.report.recovered).toMatchObject({count: missing})
    expect(recovered.report.missing).toBeNull()
    const {from, interleaved, reactions} = recovered.report
    console.log(
      `store recover: ${acked.length} rentals, reservation.journal cut from ${size} to ${cut.length} bytes: ` +
        `${missing} events missing, rebuilt from ${JSON.stringify(from)}, replayed among ${JSON.stringify(interleaved)}, ${reactions} reactions owed`,
    )
    const text = await s.cli('status')
    expect(text.stdout).not.toMatch(/^reservation: /m)
    await expectWhole(s, acked)
  })

  it('a reservation.json put back from an older backup after more reservations were made: refused, rebuilt, no number reused', async () => {
    stack = await startStack()
    const s = stack
    const acked: Acked[] = []
    const store = path.join(s.dataDir, 'reservation.json')
    await rentals(s, acked, 12)
    expect((await s.cli('down')).code).toBe(0)
    const backup = readFileSync(store) // after a graceful stop the journal is empty: the snapshot is all
    expect(statSync(path.join(s.dataDir, 'reservation.journal')).size).toBe(0)
    expect((await up(s)).code).toBe(0)
    await rentals(s, acked, 6)
    // a snapshot of reservation's alone in between: with one, reservation.journal.prev would go on
    // from the backup (what a crash before a snapshot's rename leaves), and that opens whole
    expect((await s.cli('service', 'stop', 'reservation')).code).toBe(0)
    expect((await s.cli('service', 'start', 'reservation')).code).toBe(0)
    await rentals(s, acked, 6)
    expect((await s.cli('down')).code).toBe(0)
    writeFileSync(store, backup)

    await expectRefused(s, store)
    expect(readFileSync(store).equals(backup)).toBe(true)

    const recovered = await s.json(['store', 'recover', 'reservation'])
    expect(recovered.report.recovered.count).toBeGreaterThanOrEqual(12)
    await expectWhole(s, acked)
  })

  it('says exactly what cannot be recovered when the followers know the events only by their seq, and writes nothing', async () => {
    stack = await startStack()
    const s = stack
    const acked: Acked[] = []
    const store = path.join(s.dataDir, 'reservation.json')
    await rentals(s, acked, 4, 1)
    expect((await s.cli('down')).code).toBe(0)
    const backup = path.join(s.dataDir, 'reservation.backup')
    copyFileSync(store, backup)
    // two more periods, each ended by a snapshot: the followers' journals of the first are gone
    for (let period = 0; period < 2; period++) {
      expect((await up(s)).code).toBe(0)
      await rentals(s, acked, 2, 1)
      expect((await s.cli('down')).code).toBe(0)
    }
    copyFileSync(backup, store)
    await expectRefused(s, store)

    const failed = await s.cli('store', 'recover', 'reservation')
    expect(failed.code, failed.stderr).toBe(3)
    expect(failed.stderr).toMatch(
      /^gdmarket: reservation events \d+–\d+ \(\d+\) cannot be recovered: item, payment and view know them only by their seq, and the \d+ after them \(\d+–\d+\) cannot go on without them; nothing was written to .*reservation\.json\n$/,
    )
    expect(readFileSync(store).equals(readFileSync(backup))).toBe(true)
    expect((await s.json(['status'])).processes.find((p: {name: string}) => p.name === 'reservation').state).toBe('errored')
  })

  describe('the end of a journal, judged by who has seen it', () => {
    it('a whole last record that lost its newline is kept when its event was applied by a follower, and the newline restored', async () => {
      stack = await startStack()
      const s = stack
      const {itemNo} = await s.json(['item', 'register', '--name', 'Camera', '--price', '100'])
      const {reservationNo} = await s.json(['reserve', String(itemNo), '--customer', 'Young'])
      await eventually(async () => expect((await s.json(['view']))[0].reservationNo).toBe(reservationNo))
      await killEverything(s)
      const journal = path.join(s.dataDir, 'reservation.journal')
      const text = readFileSync(journal, 'utf8')
      expect(text.trimEnd().split('\n').at(-1)).toContain('"type":"Reserved"') // its last record made the reservation
      writeFileSync(journal, text.slice(0, -1))
      const started = await up(s)
      expect(started.code, started.stderr).toBe(0)
      expect(readFileSync(journal, 'utf8')).toBe(text)
      expect(await s.json(['reservation', 'show', String(reservationNo)])).toMatchObject({itemNo, reservationStatus: 'Reserved'})
    })

    it('a torn last line nobody has seen is dropped quietly, and the service starts', async () => {
      stack = await startStack()
      const s = stack
      const {itemNo} = await s.json(['item', 'register', '--name', 'Camera', '--price', '100'])
      expect((await s.cli('down')).code).toBe(0)
      const journal = path.join(s.dataDir, 'reservation.journal')
      writeFileSync(journal, readFileSync(journal, 'utf8') + '{"n":7,"own":[{"id":"01') // a crash mid-write
      const started = await up(s)
      expect(started.code, started.stderr).toBe(0)
      expect((await s.logs('reservation')).map((l) => l.message)).toContainEqual(
        expect.stringMatching(/^dropped the torn last line of .*reservation\.journal \(23 bytes\): no follower has seen it$/),
      )
      expect((await s.json(['reserve', String(itemNo), '--customer', 'Young'])).reservationNo).toBe(1)
    })
  })
})
