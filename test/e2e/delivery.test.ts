import {randomBytes} from 'node:crypto'
import {rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {rawBus, type RawBus, type RawBusOptions} from './rawBus.js'
import {eventually, startStack, type Stack, isGone} from './stack.js'

let stack: Stack | undefined
let buses: RawBus[] = []
afterEach(async () => {
  for (const bus of buses.splice(0)) await bus.close()
  await stack?.stop()
  stack = undefined
})

const processOf = (status: any, name: string) => status.processes.find((p: {name: string}) => p.name === name)
/** A raw client with the stack's credentials for a role (a service's own role to publish as it). */
const connect = async (s: Stack, as: RawBusOptions['as'] = 'reader') => {
  const bus = await rawBus(s.dataDir, (await s.json(['status'])).port, {as})
  buses.push(bus)
  return bus
}

/** Everything the stack knows, to compare before and after. */
const snapshot = async (s: Stack) => ({
  items: await s.json(['item', 'list']),
  reservations: await s.json(['reservation', 'list']),
  payments: await s.json(['payment', 'list']),
  view: await s.json(['view']),
})

async function rental(s: Stack) {
  const {itemNo} = await s.json(['item', 'register', '--name', 'Camera', '--price', '100'])
  const {reservationNo} = await s.json(['reserve', String(itemNo), '--customer', 'Young'])
  await s.json(['pay', String(reservationNo)])
  return {itemNo, reservationNo}
}

describe('nothing doubled', () => {
  it('events republished by their own source are recognised as duplicates and change nothing', async () => {
    stack = await startStack()
    await rental(stack)
    const before = await snapshot(stack)
    const reader = await connect(stack)
    const events = [
      ...(await reader.request('item', 'history')),
      ...(await reader.request('reservation', 'history')),
      ...(await reader.request('payment', 'history')),
    ]
    expect(events.map((e: {type: string}) => e.type).sort()).toEqual(['ItemRegistered', 'PaymentApproved', 'Reserved'])
    // (a start's catch-up from the producers can meet a live delivery and count a duplicate of its own)
    const counted = (s: any) => ['item', 'reservation', 'payment', 'view'].map((n) => processOf(s, n).duplicates as number)
    const already = counted(await stack.json(['status']))
    // only a service may publish its events: each is sent again under its source's credentials
    for (const e of events) await (await connect(stack, e.source)).client.publishAsync(`gdmarket/events/${e.source}/${e.type}`, JSON.stringify(e), {qos: 1})

    // every consumer of each event saw it again: item 1 (Reserved; whether it is paid is
    // reservation's to say), reservation 2 (ItemRegistered, PaymentApproved), payment 1 (Reserved), view 3
    await eventually(async () => {
      const now = counted(await stack!.json(['status']))
      expect(now.map((n, i) => n - already[i])).toEqual([1, 2, 1, 3])
    })
    const status = await stack.json(['status'])
    expect(status.processes.map((p: {poisonMessages: number}) => p.poisonMessages)).toEqual([0, 0, 0, 0, 0])
    expect(await snapshot(stack)).toEqual(before)
  })
})

/** Payloads no daemon may accept: bytes, JSON of the wrong shape, and near-misses of real messages. */
function garbage(i: number): Buffer | string {
  const nearMisses = [
    {id: 'x', type: 'ItemRegistered', source: 'payment', time: 't', correlationId: 'c', causationId: null, seq: 1, data: {itemNo: 1, itemName: 'A', itemPrice: 1}},
    {id: 'x', type: 'Reserved', source: 'reservation', time: 't', correlationId: 'c', causationId: null, seq: -1, data: {}},
    {id: 'x', type: 'NoSuchEvent', source: 'item', time: 't', correlationId: 'c', causationId: null, seq: 5, data: {}},
    {id: 'r', replyTo: 7, deadline: 'soon', body: {}},
    {id: 'r', ok: 'yes'},
    {__proto__: {polluted: true}, constructor: {prototype: {polluted: true}}},
  ]
  switch (i % 5) {
    case 0:
      return randomBytes(1 + (i % 200))
    case 1:
      return JSON.stringify(nearMisses[i % nearMisses.length])
    case 2:
      return JSON.stringify([i, 'x', null])
    case 3:
      return String(i)
    default:
      return '{"unterminated": ' + 'x'.repeat(i % 50)
  }
}

describe('poison messages', () => {
  it('1,000+ malformed payloads on every gdmarket topic: daemons stay up, state unchanged, every one counted', async () => {
    stack = await startStack()
    await rental(stack)
    const before = await snapshot(stack)
    const statusBefore = await stack.json(['status'])
    // Garbage from peers that may publish there (the broker refuses everyone else, see walls.test.ts):
    // who sends it, the topic, and how many daemons receive it
    const targets: [RawBusOptions['as'], string, number][] = [
      ['item', 'gdmarket/events/item/ItemRegistered', 2], // reservation, view
      ['item', 'gdmarket/events/item/Unknown', 2],
      ['reservation', 'gdmarket/events/reservation/Reserved', 3], // item, payment, view
      ['payment', 'gdmarket/events/payment/PaymentApproved', 2], // reservation, view
      ['reservation', 'gdmarket/requests/payment/approve', 1],
      ['reader', 'gdmarket/requests/item/history', 1],
      ['reader', 'gdmarket/requests/reservation/history', 1],
      ['payment', 'gdmarket/replies/gateway', 1], // the gateway, in the supervisor's process
      ['item', 'gdmarket/replies/gdmarket-reservation', 1],
      ['item', 'gdmarket/status/item', 2], // reservation and view watch item's liveness
    ]
    const perTopic = 100
    let expected = 0
    for (const [as, topic, receivers] of targets) {
      const bus = await connect(stack, as)
      for (let i = 0; i < perTopic; i++) await bus.client.publishAsync(topic, garbage(i), {qos: 1})
      expected += perTopic * receivers
    }
    expect(targets.length * perTopic).toBeGreaterThanOrEqual(1000)

    const after = await eventually(
      async () => {
        const s = await stack!.json(['status'])
        const counted = s.processes.reduce((sum: number, p: {poisonMessages: number}) => sum + p.poisonMessages, 0)
        expect(s.processes.map((p: {name: string; poisonMessages: number}) => `${p.name}=${p.poisonMessages}`).join(' ')).toBe(
          'supervisor=100 item=200 reservation=600 payment=200 view=500',
        )
        expect(counted).toBe(expected)
        return s
      },
      {timeoutMs: 20_000},
    )
    console.log(`garbage: sent ${targets.length * perTopic} payloads, ${expected} deliveries counted as poison`)
    for (const p of after.processes) {
      expect(p).toMatchObject({state: 'online', restarts: 0, pid: processOf(statusBefore, p.name).pid})
    }
    expect(await snapshot(stack)).toEqual(before)
    expect(after.deadLetters).toEqual([])
  })
})

describe('the broker and the supervisor can die too', () => {
  it('kill -9 of the supervisor: its daemons exit (no orphans), and events queued for a stopped consumer survive to the next up', async () => {
    stack = await startStack()
    await stack.json(['service', 'stop', 'view'])
    const registered = []
    for (let i = 0; i < 5; i++) registered.push((await stack.json(['item', 'register', '--name', `Thing ${i}`, '--price', '10'])).itemNo)
    const status = await stack.json(['status'])
    const supervisor = processOf(status, 'supervisor').pid
    const daemons = status.processes.filter((p: {pid: number | null; name: string}) => p.pid && p.name !== 'supervisor').map((p: {pid: number}) => p.pid)

    process.kill(supervisor, 'SIGKILL')
    await eventually(() => expect(daemons.filter((pid: number) => !isGone(pid))).toEqual([]), {timeoutMs: 15_000})

    expect((await stack.cli('up')).code).toBe(0)
    const view = await stack.json(['view'])
    expect(view.map((r: {itemNo: number}) => r.itemNo)).toEqual(registered)
  })
})

describe('self-healing', () => {
  it('a service that cannot start (unreadable store) is errored at once, not restarted in a loop', async () => {
    stack = await startStack()
    await stack.json(['service', 'stop', 'payment'])
    // payment keeps its data in SQLite (docs/storage.md)
    for (const side of ['-wal', '-shm']) rmSync(path.join(stack.dataDir, `payment.sqlite${side}`), {force: true})
    writeFileSync(path.join(stack.dataDir, 'payment.sqlite'), 'garbage')
    const start = await stack.cli('service', 'start', 'payment')
    expect(start.code).toBe(5)
    expect(start.stderr).toContain('payment.sqlite')
    const payment = processOf(await stack.json(['status']), 'payment')
    expect(payment).toMatchObject({state: 'errored', restarts: 0, pid: null})
    expect(payment.lastError).toContain('cannot be read')
  })

  it('a graceful stop answers the request in flight first (exit code 0)', async () => {
    stack = await startStack({config: {paymentDelayMs: 1500, paymentTimeoutMs: 5000}})
    const {itemNo} = await stack.json(['item', 'register', '--name', 'Camera', '--price', '100'])
    const {reservationNo} = await stack.json(['reserve', String(itemNo), '--customer', 'Young'])
    const paying = stack.cli('pay', String(reservationNo), '--json')
    // the payment request has reached payment when its log says so
    await eventually(async () => {
      const logs = await stack!.logs('payment')
      expect(logs.some((line) => line.message.includes(`approving reservation ${reservationNo} after the configured delay`))).toBe(true)
    })
    const stopped = await stack.json(['service', 'stop', 'payment'])
    const paid = await paying
    expect(paid.code).toBe(0)
    expect(paid.json).toMatchObject({paymentStatus: 'Paid'})
    expect(processOf({processes: stopped}, 'payment')).toMatchObject({state: 'stopped', lastExit: 'code 0'})
  })
})
