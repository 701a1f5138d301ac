import {existsSync} from 'node:fs'
import path from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {Market} from '../../src/cli/market.js'
import {hasMosquitto} from './mosquitto.js'
import {eventually, gatewayOf, startStack, type Stack} from './stack.js'

/**
 * Replicas of the read side on the embedded broker (docs/deploy.md#view-replicas): `service scale
 * view N` runs them, the gateway spreads reads over those online, and each waits for the frontier
 * a read carries, so read-your-writes holds whichever replica answers.
 */
let stack: Stack
let client: ReturnType<typeof gatewayOf>
beforeAll(async () => {
  stack = await startStack()
  client = gatewayOf(stack.dataDir, 15_000)
})
afterAll(async () => {
  client?.close()
  await stack?.stop()
})

type Process = {name: string; state: string; pid: number | null; restarts: number}
const views = async (s = stack): Promise<Process[]> => (await s.json(['status'])).processes.filter((p: Process) => p.name.startsWith('view'))

/** Requests each view replica took, from the gateway's /metrics (health probes left out). */
async function requestsPerReplica(stack: Stack): Promise<Record<string, number>> {
  // /metrics is open (a scraper has no token), on the gateway's TCP port
  const text = await (await fetch(`http://127.0.0.1:${(await stack.json(['status'])).gateway.httpPort}/metrics`)).text()
  const counts: Record<string, number> = {}
  for (const [, name, n] of text.matchAll(/^gdmarket_requests_handled_total\{service="(view[-\d]*)"\} (\d+)/gm)) counts[name] = Number(n)
  return counts
}

/** Registers and reserves, reading the row back at once after each write: it must include the write, whichever replica answers. */
async function readsRightAfterWrites(market: Market, times: number): Promise<void> {
  for (let n = 1; n <= times; n++) {
    const {itemNo} = await market.item.register({itemName: `Replica thing ${n}`, itemPrice: 10 + n})
    const registered = (await market.view.show({itemNo})) as {itemName: string; itemStatus: string}
    expect(registered).toMatchObject({itemName: `Replica thing ${n}`, itemStatus: 'Rentable'})
    const {reservationNo} = await market.reservation.reserve({itemNo, customerName: `Renter ${n}`, customerId: `r${n}`})
    const reserved = (await market.view.show({itemNo})) as {reservationNo: number | null; customerName: string | null}
    expect(reserved).toMatchObject({reservationNo, customerName: `Renter ${n}`})
    const listed = (await market.view.list({})) as {_embedded: {itemInfoes: {itemNo: number; reservationNo: number | null}[]}}
    expect(listed._embedded.itemInfoes.find((row) => row.itemNo === itemNo)).toMatchObject({reservationNo})
  }
}

describe('service scale view N', () => {
  it('runs replicas view-2 and view-3 beside view, each with a store and a log of its own, all shown by status', async () => {
    const after = await stack.json(['service', 'scale', 'view', '3'])
    expect(after.map((p: Process) => p.name)).toEqual(expect.arrayContaining(['view', 'view-2', 'view-3']))
    const replicas = await views()
    expect(replicas.map((p) => p.name)).toEqual(['view', 'view-2', 'view-3'])
    for (const p of replicas) expect(p).toMatchObject({state: 'online', pid: expect.any(Number), restarts: 0})
    expect(new Set(replicas.map((p) => p.pid)).size).toBe(3)
    for (const name of ['view-2', 'view-3']) {
      expect(existsSync(path.join(stack.dataDir, `${name}.journal`)) || existsSync(path.join(stack.dataDir, `${name}.json`))).toBe(true)
      expect(existsSync(path.join(stack.dataDir, 'logs', `${name}.log`))).toBe(true)
    }
  })

  it('never shows a stale row on any replica: each read right after a write includes it (read-your-writes), and every replica answers some', async () => {
    const before = await requestsPerReplica(stack)
    await readsRightAfterWrites(client.market, 30)
    const spread = await requestsPerReplica(stack)
    // 90 reads round robin over three: each replica took its share
    for (const name of ['view', 'view-2', 'view-3']) expect((spread[name] ?? 0) - (before[name] ?? 0)).toBeGreaterThanOrEqual(20)
  })

  it('skips a replica that is down: reads go on while it is restarted, and status counts its restart', async () => {
    const victim = (await views()).find((p) => p.name === 'view-2')!
    process.kill(victim.pid!, 'SIGKILL')
    const {market} = client
    for (let n = 0; n < 10; n++) {
      const {itemNo} = await market.item.register({itemName: `While down ${n}`, itemPrice: 5})
      expect(await market.view.show({itemNo})).toMatchObject({itemName: `While down ${n}`})
    }
    const back = await eventually(async () => {
      const p = (await views()).find((v) => v.name === 'view-2')!
      expect(p).toMatchObject({state: 'online', restarts: 1})
      return p
    }, {timeoutMs: 20_000})
    expect(back.pid).not.toBe(victim.pid)
  })

  it('scales back to one: the replicas above go, and reads go to view alone', async () => {
    await stack.json(['service', 'scale', 'view', '1'])
    expect((await views()).map((p) => p.name)).toEqual(['view'])
    const {itemNo} = await client.market.item.register({itemName: 'After scale down', itemPrice: 7})
    expect(await client.market.view.show({itemNo})).toMatchObject({itemName: 'After scale down'})
  })

  it('refuses to scale a writer (exit 2), saying why: one writer per store', async () => {
    const refused = await stack.cli('service', 'scale', 'reservation', '2', '--json')
    expect(refused.code).toBe(2)
    expect(refused.json.error.message).toContain('one writer for its store')
  })
})

describe.skipIf(!hasMosquitto('the view replicas test'))('view replicas on Mosquitto: an MQTT 5 shared subscription spreads the reads', () => {
  it('gives each replica a share of the reads, and each read includes the write before it', async () => {
    const onMosquitto = await startStack({broker: 'mosquitto'})
    const mosquittoClient = gatewayOf(onMosquitto.dataDir, 15_000)
    try {
      await onMosquitto.json(['service', 'scale', 'view', '3'])
      expect((await views(onMosquitto)).map((p) => [p.name, p.state])).toEqual([['view', 'online'], ['view-2', 'online'], ['view-3', 'online']])
      const before = await requestsPerReplica(onMosquitto)
      await readsRightAfterWrites(mosquittoClient.market, 20)
      const spread = await requestsPerReplica(onMosquitto)
      // the broker's own round robin over the group: no replica is left out
      for (const name of ['view', 'view-2', 'view-3']) expect((spread[name] ?? 0) - (before[name] ?? 0)).toBeGreaterThanOrEqual(5)
      // scaled back, the replicas taken away end their sessions: no read is left in one that nobody serves
      await onMosquitto.json(['service', 'scale', 'view', '1'])
      await readsRightAfterWrites(mosquittoClient.market, 5)
    } finally {
      mosquittoClient.close()
      await onMosquitto.stop()
    }
  })
})
