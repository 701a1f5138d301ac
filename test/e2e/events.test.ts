import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {eventually, startCli, startStack, type Stack} from './stack.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(async () => {
  await stack?.stop()
})

/** `events --json` is NDJSON: one envelope per line. */
async function events(...args: string[]): Promise<any[]> {
  const result = await stack.cli('events', '--json', ...args)
  expect(result.code, result.stderr).toBe(0)
  return result.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
}

/** A full rental through the plain commands; its reservation number and correlation id. */
async function fullRental(name: string): Promise<{itemNo: number; resNo: number; correlationId: string}> {
  const {itemNo} = await stack.json(['item', 'register', '--name', name, '--price', '100'])
  const reservation = await stack.json(['reserve', String(itemNo), '--customer', 'Young'])
  await stack.json(['pay', String(reservation.reservationNo)])
  await stack.json(['lend', String(itemNo)])
  await stack.json(['return', String(itemNo)])
  return {itemNo, resNo: reservation.reservationNo, correlationId: reservation.correlationId}
}

describe('trace RESNO', () => {
  it('after a full rental lists Reserved → PaymentApproved → RentalStarted → ItemRented → ItemReturned with one correlationId', async () => {
    const rental = await fullRental('Camera')
    const trace = await stack.json(['trace', String(rental.resNo)])
    expect(trace.map((e: {type: string}) => e.type)).toEqual(['Reserved', 'PaymentApproved', 'RentalStarted', 'ItemRented', 'ItemReturned'])
    expect(new Set(trace.map((e: {correlationId: string}) => e.correlationId))).toEqual(new Set([rental.correlationId]))
    expect(trace.map((e: {source: string}) => e.source)).toEqual(['reservation', 'payment', 'reservation', 'item', 'item'])
    const since = trace.map((e: {sinceFirstMs: number}) => e.sinceFirstMs)
    expect(since[0]).toBe(0)
    expect(since).toEqual([...since].sort((a, b) => a - b))

    const people = await stack.cli('trace', String(rental.resNo))
    expect(people.code).toBe(0)
    expect(people.stdout).toContain(`rental ${rental.correlationId}\n`)
    expect(people.stdout).toContain('· 5 events')
    expect(people.stdout).toMatch(/\+0 ms .*Reserved/)
  })

  it('shows the compensation of a forced delete: reservation ends it first, payment refunds, the item goes', async () => {
    const {itemNo} = await stack.json(['item', 'register', '--name', 'Kayak', '--price', '80'])
    const {reservationNo} = await stack.json(['reserve', String(itemNo), '--customer', 'Kim'])
    await stack.json(['pay', String(reservationNo)])
    await stack.json(['item', 'delete', String(itemNo), '--force'])
    const trace = await eventually(async () => {
      const t = await stack.json(['trace', String(reservationNo)])
      expect(t.slice(0, 3).map((e: {type: string}) => e.type)).toEqual(['Reserved', 'PaymentApproved', 'ReservationCancelled'])
      // the refund (a saga step) and the deletion both follow the cancellation, in either order
      expect(t.slice(3).map((e: {type: string}) => e.type).sort()).toEqual(['ItemDeleted', 'PaymentCancelled'])
      return t
    })
    const byType = Object.fromEntries(trace.map((e: {type: string}) => [e.type, e]))
    // reservation decided the end on the item service's request (a command, not an event)
    expect(byType.ReservationCancelled).toMatchObject({data: {reason: 'itemDeleted'}})
    expect(trace.map((e: {id: string}) => e.id)).not.toContain(byType.ReservationCancelled.causationId)
    expect(byType.PaymentCancelled.causationId).toBe(byType.ReservationCancelled.id)
    expect((await stack.cli('trace', String(reservationNo))).stdout).toMatch(/PaymentCancelled +│ ReservationCancelled/)
  })

  it('refuses an unknown reservation (exit 4)', async () => {
    const result = await stack.cli('trace', '999')
    expect(result.code).toBe(4)
  })
})

describe('events', () => {
  it('prints the history of all three services merged in time order, one JSON object per line', async () => {
    const rental = await fullRental('Tent')
    const all = await events()
    const times = all.map((e) => `${e.time} ${e.id}`)
    expect(times).toEqual([...times].sort())
    expect(new Set(all.map((e) => e.source))).toEqual(new Set(['item', 'reservation', 'payment']))
    expect(all.filter((e) => e.correlationId === rental.correlationId).map((e) => e.type)).toEqual([
      'Reserved',
      'PaymentApproved',
      'RentalStarted',
      'ItemRented',
      'ItemReturned',
    ])
  })

  it('filters by type, source and correlation id, and keeps the last N', async () => {
    const rental = await fullRental('Drill')
    expect((await events('--type', 'Reserved')).every((e) => e.type === 'Reserved')).toBe(true)
    const two = await events('--type', 'ItemRented', '--type', 'ItemReturned')
    expect(new Set(two.map((e) => e.type))).toEqual(new Set(['ItemRented', 'ItemReturned']))
    expect((await events('--source', 'payment')).every((e) => e.source === 'payment')).toBe(true)
    expect((await events('--correlation', rental.correlationId)).map((e) => e.type)).toEqual(['Reserved', 'PaymentApproved', 'RentalStarted', 'ItemRented', 'ItemReturned'])
    const last = await events('--limit', '2')
    expect(last.map((e) => e.type)).toEqual(['ItemRented', 'ItemReturned'])
    expect(last.at(-1).correlationId).toBe(rental.correlationId)
  })

  it('prints a table for people', async () => {
    const result = await stack.cli('events', '--type', 'ItemRegistered')
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/│ time +│ type +│ rental +│ what +│/) // at 80 columns: the type names the source
    expect(result.stdout).toContain('"Camera", price 100')
    const wide = await stack.cli('events', '--type', 'ItemRegistered', '--wide')
    expect(wide.stdout).toMatch(/│ time +│ source +│ type +│ rental +│ what +│/)
  })

  it('leaves out a stopped service with a note on stderr, and shows the others', async () => {
    await stack.json(['service', 'stop', 'payment'])
    try {
      const result = await stack.cli('events', '--json')
      expect(result.code).toBe(0)
      expect(result.stderr).toContain('the events of payment are left out: the payment service is stopped')
      const sources = new Set(result.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l).source))
      expect(sources).toEqual(new Set(['item', 'reservation']))
    } finally {
      await stack.json(['service', 'start', 'payment'])
    }
  })

  it('--follow prints an event published after it started, until it is stopped', async () => {
    const child = startCli(['events', '--follow', '--json', '--type', 'ItemRegistered', '--data-dir', stack.dataDir])
    try {
      // it says so once it is subscribed and has printed the history
      await eventually(() => expect(child.stderr).toContain('following new events'), {timeoutMs: 15_000})
      const before = child.stdout.split('\n').filter(Boolean).length
      const {itemNo} = await stack.json(['item', 'register', '--name', 'Followed', '--price', '7'])
      const live = await eventually(() => {
        const lines = child.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l))
        const found = lines.find((e) => e.type === 'ItemRegistered' && e.data.itemNo === itemNo)
        expect(found).toBeDefined()
        return {found, count: lines.length}
      })
      expect(live.found.data).toEqual({itemNo, itemName: 'Followed', itemPrice: 7})
      expect(live.count).toBe(before + 1) // printed once, and nothing but what the filter lets through
      child.kill('SIGINT')
      expect((await child.exited).code).toBe(130)
    } finally {
      await child.stop()
    }
  })
})
