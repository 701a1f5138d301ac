import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {RunningProcess} from '../../src/childProcess.js'
import {hasMosquitto, startMosquitto, type Mosquitto} from './mosquitto.js'
import {eventually, runCli, startCli} from './stack.js'

/**
 * One process per host (issue 18, part 3; docs/deploy.md): each service and the gateway run alone
 * in the foreground (`service run NAME`, `gateway run`), each with a data dir of its own holding
 * only its role's broker password, on one Mosquitto. The test stands in for systemd: it starts
 * them, and starts again what it killed.
 */
const names = ['item', 'reservation', 'payment', 'view'] as const
type Name = (typeof names)[number] | 'gateway'

const enabled = hasMosquitto('one process per host')
let mosquitto: Mosquitto | undefined
const roots: string[] = []
const dirs = {} as Record<Name, string>
const running = new Map<Name, RunningProcess>()
let env: Record<string, string>

/** A host's data dir: its config from GDMARKET_* alone, and the one password its role needs. */
function hostDir(role: Name, passwords: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), `gdmarket-${role}-`))
  roots.push(dir)
  writeFileSync(path.join(dir, 'broker-credentials.json'), JSON.stringify({[role]: passwords[role]}), {mode: 0o600})
  return dir
}

function start(role: Name): RunningProcess {
  const args = role === 'gateway' ? ['gateway', 'run'] : ['service', 'run', role]
  const child = startCli([...args, '--data-dir', dirs[role]], {env})
  running.set(role, child)
  return child
}

const check = (role: Name, ...flags: string[]) => runCli(['service', 'check', role, ...flags], {dataDir: dirs[role]})
const cli = (...args: string[]) => runCli([...args, '--json'], {dataDir: dirs.gateway})
const ready = (role: Name) => eventually(async () => expect(await check(role)).toMatchObject({code: 0}), {timeoutMs: 30_000})

/** Every line a process alone writes on stdout is a JSON log record. */
function logRecords(child: RunningProcess): {time: string; level: string; service: string; message: string}[] {
  return child.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
}

beforeAll(async () => {
  if (!enabled) return
  const brokerHost = mkdtempSync(path.join(tmpdir(), 'gdmarket-broker-'))
  roots.push(brokerHost)
  mosquitto = await startMosquitto(brokerHost)
  const passwords = JSON.parse(readFileSync(path.join(brokerHost, 'broker-credentials.json'), 'utf8'))
  for (const role of [...names, 'gateway'] as const) dirs[role] = hostDir(role, passwords)
  env = {GDMARKET_BROKER_URL: mosquitto.url, GDMARKET_HTTP_PORT: '0'}
  for (const name of names) start(name)
  start('gateway')
  await Promise.all(names.map(ready))
  await eventually(async () => expect((await cli('status')).code).toBe(0), {timeoutMs: 30_000})
}, 90_000)

afterAll(async () => {
  await Promise.all([...running.values()].map((child) => child.stop()))
  await mosquitto?.stop()
  for (const root of roots) rmSync(root, {recursive: true, force: true})
})

describe.skipIf(!enabled)('one process per host, on Mosquitto', () => {
  it('runs a rental through a gateway alone: its frontier from the events it reads, /readyz and /metrics on the services it reads of', async () => {
    const item = (await cli('item', 'register', '--name', 'Tent', '--price', '30')).json
    // read-your-writes across hosts: each answer includes the change before it, without a sleep
    const reservation = (await cli('reserve', String(item.itemNo), '--customer', 'Ann')).json
    expect((await cli('item', 'show', String(item.itemNo))).json).toMatchObject({itemStatus: 'NotRentable', reservationNo: reservation.reservationNo})
    expect((await cli('pay', String(reservation.reservationNo))).json).toMatchObject({paymentStatus: 'Paid'})
    expect((await cli('lend', String(item.itemNo))).json).toMatchObject({rentalStatus: 'Renting'})
    expect((await cli('view')).json).toEqual(expect.arrayContaining([expect.objectContaining({itemNo: item.itemNo, rentalStatus: 'Renting', paymentStatus: 'Paid', customerName: 'Ann'})]))

    const status = (await cli('status')).json
    expect(status.processes.map((p: {name: string; state: string}) => [p.name, p.state])).toEqual([['supervisor', 'online'], ...names.map((n) => [n, 'online'])])
    const base = `http://127.0.0.1:${status.gateway.httpPort}`
    expect((await fetch(`${base}/readyz`)).status).toBe(200)
    const metrics = await (await fetch(`${base}/metrics`)).text()
    for (const name of names) expect(metrics).toMatch(new RegExp(`^gdmarket_service_health_answered\\{service="${name}"\\} 1$`, 'm'))
    expect(metrics).toMatch(/^gdmarket_events_applied_total\{service="view",source="payment"\} [1-9]/m)
    // starting and stopping a service is its host's to do
    expect(await runCli(['service', 'stop', 'item'], {dataDir: dirs.gateway})).toMatchObject({code: 3, stderr: expect.stringContaining('runs alone, without a supervisor')})

    for (const role of [...names, 'gateway'] as const) {
      const records = logRecords(running.get(role)!)
      expect(records.length, role).toBeGreaterThan(0)
      for (const r of records) expect(r).toEqual({time: expect.any(String), level: expect.stringMatching(/^(info|warn|error)$/), service: role, message: expect.any(String)})
    }
  })

  it('kill -9 of a service: its probe fails, the gateway is not ready, the rest go on; started again, it catches up and counts as a restart', async () => {
    const {itemNo} = (await cli('item', 'register', '--name', 'Kayak', '--price', '50')).json
    const killed = running.get('item')!
    killed.kill('SIGKILL')
    await killed.exited
    expect(await check('item')).toMatchObject({code: 5, stderr: expect.stringMatching(/^gdmarket: the item service is not running \(pid \d+ is gone\)\n$/)})
    const readyz = await fetch(`http://127.0.0.1:${(await cli('status')).json.gateway.httpPort}/readyz`)
    expect(readyz.status).toBe(503)
    // reserve works while item is down (reservation keeps its own copy of the items)
    const reservation = (await cli('reserve', String(itemNo), '--customer', 'Bo')).json
    start('item')
    await ready('item')
    expect((await cli('item', 'show', String(itemNo))).json).toMatchObject({itemStatus: 'NotRentable', reservationNo: reservation.reservationNo})
    await eventually(async () => expect((await cli('status')).json.processes.find((p: {name: string}) => p.name === 'item')).toMatchObject({state: 'online', restarts: 1}))
  })

  it('a second view on a host of its own (a StatefulSet pod: GDMARKET_POD_INDEX=1) is view-2: probed, listed, given its share of the reads by the broker, never stale', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gdmarket-view-2-'))
    roots.push(dir)
    writeFileSync(path.join(dir, 'broker-credentials.json'), readFileSync(path.join(dirs.view, 'broker-credentials.json')), {mode: 0o600})
    const podEnv = {...env, GDMARKET_POD_INDEX: '1'}
    const second = startCli(['service', 'run', 'view', '--data-dir', dir], {env: podEnv})
    try {
      await eventually(async () => expect(await runCli(['service', 'check', 'view'], {dataDir: dir, env: podEnv})).toMatchObject({code: 0}), {timeoutMs: 30_000})
      await eventually(async () => expect((await cli('status')).json.processes.find((p: {name: string}) => p.name === 'view-2')).toMatchObject({state: 'online'}))
      for (let n = 0; n < 12; n++) {
        const {itemNo} = (await cli('item', 'register', '--name', `Pod ${n}`, '--price', '9')).json
        expect((await cli('view')).json).toEqual(expect.arrayContaining([expect.objectContaining({itemNo, itemName: `Pod ${n}`})]))
      }
      const metrics = await (await fetch(`http://127.0.0.1:${(await cli('status')).json.gateway.httpPort}/metrics`)).text()
      expect(Number(/^gdmarket_requests_handled_total\{service="view-2"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0)
      expect(logRecords(second)[0]).toMatchObject({service: 'view-2'})
    } finally {
      second.kill('SIGTERM')
      expect((await second.exited).code).toBe(0)
    }
  })

  it('SIGTERM stops a service gracefully (exit 0) and it says offline; a store it cannot read exits 78 with one JSON line why', async () => {
    const view = running.get('view')!
    view.kill('SIGTERM')
    expect((await view.exited).code).toBe(0)
    expect(logRecords(view).at(-1)).toMatchObject({level: 'info', service: 'view', message: 'stopped'})
    await eventually(async () => expect((await cli('status')).json.processes.find((p: {name: string}) => p.name === 'view')).toMatchObject({state: 'offline'}))

    // the view keeps a JSON store (viewStore json): a snapshot that is not JSON
    writeFileSync(path.join(dirs.view, 'view.json'), '{not json')
    const broken = start('view')
    const ended = await broken.exited
    expect(ended.code).toBe(78)
    expect(logRecords(broken).filter((r) => r.level === 'error')).toEqual([expect.objectContaining({service: 'view', message: expect.stringContaining('view.json')})])
  })
})
