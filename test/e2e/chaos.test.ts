import {setTimeout as sleep} from 'node:timers/promises'

import {afterEach, expect, it} from 'vitest'

import {verify, type Acked} from './marketFacts.js'
import {eventually, gatewayOf, startStack, type Stack, isGone} from './stack.js'

/**
 * Chaos: concurrent renters drive full rental cycles while `kill -9` hits a random daemon — each
 * service, the projector and the supervisor (which hosts the broker) — about once a second. Then
 * the stack recovers and everything acknowledged must be there, nothing doubled, the stores agree.
 */
const WORKERS = 4
const MIN_CYCLES = 200
const MIN_KILLS = 8
const MAX_MS = 120_000
const REQUEST_MS = 2000
const targets = ['item', 'reservation', 'payment', 'view', 'supervisor'] as const

type Client = ReturnType<typeof gatewayOf>
let stack: Stack | undefined
const clients: Client[] = []
afterEach(async () => {
  for (const client of clients.splice(0)) client.close()
  await stack?.stop()
  stack = undefined
})

// the same chaos on the default stores (payment on SQLite, the others on JSON) and with every store on SQLite
const allSqlite = {itemStore: 'sqlite', reservationStore: 'sqlite', paymentStore: 'sqlite', viewStore: 'sqlite'}
it.each([
  ['the default stores', {}],
  ['every store on SQLite', allSqlite],
])('nothing acknowledged is lost, nothing is doubled, and every store agrees after kill -9 chaos (%s)', async (_, config) => {
  stack = await startStack({config})
  const s = stack
  const {port} = await s.json(['status'])
  // renters come through the gateway, as every client does; it is the supervisor's, killed too
  for (let i = 0; i <= WORKERS; i++) clients.push(gatewayOf(s.dataDir, REQUEST_MS))
  const control = clients[WORKERS].gateway

  const acked: Acked[] = []
  let cycles = 0
  let stopping = false
  const failures = new Map<string, number>()

  const cycle = async ({market}: Client, n: number) => {
    const a: Acked = {tried: new Set()}
    acked.push(a)
    const ask = <T>(command: string, send: () => Promise<T>) => {
      a.tried.add(command)
      return send()
    }
    a.item = await ask('register', () => market.item.register({itemName: `Thing ${n}`, itemPrice: 10 + (n % 90)}))
    const itemNo = a.item.itemNo
    a.reservationNo = (await ask('reserve', () => market.reservation.reserve({itemNo, customerName: `Renter ${n}`, customerId: `r${n}`}))).reservationNo
    const reservationNo = a.reservationNo
    await ask('pay', () => market.reservation.pay({reservationNo: reservationNo}))
    a.paid = true
    if (n % 5 === 0) {
      await ask('cancel', () => market.reservation.cancel({reservationNo: reservationNo}))
      a.cancelled = true
      return
    }
    await ask('lend', () => market.item.lend({itemNo: itemNo}))
    a.lent = true
    await ask('return', () => market.item.return({itemNo: itemNo}))
    a.returned = true
  }
  const worker = async (client: Client) => {
    while (!stopping) {
      const n = ++cycles
      try {
        await cycle(client, n)
      } catch (error) {
        const code = (error as {code?: string}).code ?? 'ERROR'
        failures.set(code, (failures.get(code) ?? 0) + 1)
        await sleep(50) // a dead daemon: give the supervisor a moment before the next cycle
      }
    }
  }

  const kills = new Map<string, number>()
  const killer = async () => {
    const began = Date.now()
    let round: string[] = []
    const enough = () =>
      cycles >= MIN_CYCLES && [...kills.values()].reduce((a, b) => a + b, 0) >= MIN_KILLS && targets.every((t) => kills.has(t))
    while (!enough() && Date.now() - began < MAX_MS) {
      await sleep(700 + Math.random() * 600)
      if (round.length === 0) round = [...targets].sort(() => Math.random() - 0.5)
      const target = round.shift()!
      const status = await control.call<any>('GET', '/stack/status').catch(() => undefined)
      const victim = status?.processes.find((p: {name: string}) => p.name === target)
      if (!victim?.pid) continue
      process.kill(victim.pid, 'SIGKILL')
      kills.set(target, (kills.get(target) ?? 0) + 1)
      if (target === 'supervisor') {
        // the broker died with it; its daemons notice and exit, then the operator runs `up`
        const daemons = status.processes.filter((p: {name: string; pid: number | null}) => p.pid && p.name !== 'supervisor')
        await eventually(() => expect(daemons.filter((p: {pid: number}) => !isGone(p.pid))).toEqual([]), {timeoutMs: 15_000})
        const up = await s.cli('up', '--port', String(port))
        expect(up.code, up.stderr).toBe(0)
      }
    }
    stopping = true
  }

  await Promise.all([killer(), ...clients.slice(0, WORKERS).map(worker)])

  // recovery: every process back online
  await eventually(
    async () => {
      const status = await s.json(['status'])
      expect(status.processes.map((p: {state: string}) => p.state)).toEqual(['online', 'online', 'online', 'online', 'online'])
    },
    {timeoutMs: 30_000},
  )

  const verified = await eventually(() => verify(s, acked), {timeoutMs: 30_000, intervalMs: 500})
  const totalKills = [...kills.values()].reduce((a, b) => a + b, 0)
  console.log(
    `chaos: ${cycles} cycles, ${acked.filter((a) => a.returned || a.cancelled).length} completed, ${totalKills} kills ` +
      `(${[...kills].map(([t, k]) => `${t} ${k}`).join(', ')}), ${verified.acknowledged} acknowledged commands, ` +
      `${verified.checked} facts verified; failures: ${[...failures].map(([c, k]) => `${c} ${k}`).join(', ') || 'none'}`,
  )
  expect(cycles).toBeGreaterThanOrEqual(MIN_CYCLES)
  expect(totalKills).toBeGreaterThanOrEqual(MIN_KILLS)
  for (const t of targets) expect(kills.get(t), `${t} was never killed`).toBeGreaterThan(0)
})
