import {once} from 'node:events'
import {chmodSync, chownSync, copyFileSync, existsSync, lchownSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import net from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {runProcess, startProcess, type RunningProcess} from '../../src/childProcess.js'
import {rawBus, type RawBus} from './rawBus.js'
import {eventually, isGone, isRoot, runCli, startStack, type Stack} from './stack.js'

/** Findings of a hostile local user (issue 11), each replayed and shown refused. */
let stack: Stack | undefined
const strangers: RunningProcess[] = []
const buses: RawBus[] = []
afterEach(async () => {
  for (const bus of buses.splice(0)) await bus.close().catch(() => {})
  await stack?.stop()
  stack = undefined
  for (const stranger of strangers.splice(0)) await stranger.stop()
})

/** Every path under a folder with its permission bits. */
function modes(root: string): {file: string; kind: string; mode: number}[] {
  return readdirSync(root, {recursive: true, encoding: 'utf8'}).map((file) => {
    const stat = statSync(path.join(root, file))
    return {file, kind: stat.isDirectory() ? 'dir' : stat.isSocket() ? 'socket' : 'file', mode: stat.mode & 0o777}
  })
}

describe('files are private', () => {
  it('the data dir and its folders are 0700; stores, journals, logs, run/ files and sockets are 0600', async () => {
    stack = await startStack()
    await stack.json(['item', 'register', '--name', 'Lamp', '--price', '5'])
    await stack.json(['config', 'set', 'paymentLimit', '500'])
    expect(statSync(stack.dataDir).mode & 0o777).toBe(0o700)
    const all = modes(stack.dataDir)
    expect(all.map((m) => m.file)).toEqual(expect.arrayContaining(['item.journal', 'payment.sqlite', 'payment.sqlite-wal', 'config.json', path.join('logs', 'item.log'), path.join('run', 'stack.json'), path.join('run', 'gateway.sock'), path.join('run', 'broker.sock')]))
    const open = all.filter((m) => m.mode !== (m.kind === 'dir' ? 0o700 : 0o600))
    expect(open).toEqual([])
  })
})

describe('pids are checked before they are touched', () => {
  it('a stale pid file holding a stranger\'s pid: up neither waits for nor kills the stranger', async () => {
    stack = await startStack()
    const {dataDir} = stack
    expect((await stack.cli('down')).code).toBe(0)
    const stranger = startProcess(process.execPath, ['-e', 'setTimeout(() => {}, 120_000)'], {env: process.env, stdout: 'ignore', stderr: 'ignore'})
    strangers.push(stranger)
    writeFileSync(path.join(dataDir, 'run', 'item.pid'), `${stranger.pid}\n`)
    const up = await stack.cli('up')
    expect(up.code, up.stderr).toBe(0)
    expect(isGone(stranger.pid!)).toBe(false)
    const status = await stack.json(['status'])
    expect(status.processes.find((p: {name: string}) => p.name === 'item')).toMatchObject({state: 'online'})
    await stack.cli('down')
    expect(isGone(stranger.pid!)).toBe(false) // down leaves it alone too
  })
})

describe('no daemon outlives its supervisor', () => {
  it('kill -9 of the supervisor: every daemon exits on its own', async () => {
    stack = await startStack()
    const status = await stack.json(['status'])
    const supervisor = status.processes.find((p: {name: string}) => p.name === 'supervisor').pid
    const daemons = status.processes.filter((p: {name: string}) => p.name !== 'supervisor').map((p: {pid: number}) => p.pid)
    process.kill(supervisor, 'SIGKILL')
    await eventually(() => expect(daemons.filter((pid: number) => !isGone(pid))).toEqual([]), {timeoutMs: 30_000})
  })
})

describe('the broker lets in only the stack\'s own processes, each on its own topics', () => {
  const port = async (s: Stack) => (await s.json(['status'])).port as number
  /** The broker acknowledges a publish it takes; one it refuses ends the connection (MQTT 3.1.1 has no refusal). */
  const publishOutcome = (bus: RawBus, topic: string, payload: string) =>
    Promise.race([
      bus.client.publishAsync(topic, payload, {qos: 1}).then(() => 'acknowledged', () => 'refused'),
      new Promise((resolve) => bus.client.once('close', () => resolve('refused'))),
    ])
  const refusedLogin = async (s: Stack, options: Parameters<typeof rawBus>[2]) => {
    const attempt = rawBus(s.dataDir, await port(s), options).then((bus) => (buses.push(bus), 'connected'))
    return attempt.catch((error: Error) => error.message)
  }

  it('refuses a connection without credentials, with a wrong password, and one that takes a daemon\'s client id', async () => {
    stack = await startStack()
    expect(await refusedLogin(stack, {as: 'none'})).toMatch(/Bad username or password|Not authorized|Connection refused/i)
    expect(await refusedLogin(stack, {as: 'reader', password: 'guess'})).toMatch(/Bad username or password/i)
    expect(await refusedLogin(stack, {as: 'reader', clientId: 'gdmarket-item'})).toMatch(/Bad username or password/i)
    // the real item daemon was never kicked off its session: it still serves
    expect(await stack.json(['item', 'register', '--name', 'Lamp', '--price', '5'])).toMatchObject({itemNo: 1})
    const status = await stack.json(['status'])
    expect(status.processes.find((p: {name: string}) => p.name === 'item')).toMatchObject({state: 'online', restarts: 0})
  })

  it('a reader may watch events and read histories, not subscribe to everything or to requests', async () => {
    stack = await startStack()
    const reader = await rawBus(stack.dataDir, await port(stack))
    buses.push(reader)
    const subscribe = (filter: string) => reader.client.subscribeAsync(filter, {qos: 0}).then(() => 'granted', () => 'refused')
    expect(await subscribe('gdmarket/#')).toBe('refused')
    expect(await subscribe('gdmarket/requests/+/+')).toBe('refused')
    expect(await subscribe('gdmarket/replies/gateway')).toBe('refused')
    expect(await subscribe('gdmarket/events/+/+')).toBe('granted')
    await stack.json(['item', 'register', '--name', 'Lamp', '--price', '5'])
    expect((await reader.request('item', 'history')).map((e: {type: string}) => e.type)).toEqual(['ItemRegistered'])
  })

  it('a forged PaymentApproved from anyone but payment is refused at the broker: the reservation stays unpaid and can be paid for real', async () => {
    stack = await startStack()
    const {itemNo} = await stack.json(['item', 'register', '--name', 'Camera', '--price', '500'])
    const {reservationNo} = await stack.json(['reserve', String(itemNo), '--customer', 'Young'])
    const forged = {id: '01a2331d-0000-7000-8000-000000000001', type: 'PaymentApproved', source: 'payment', time: new Date().toISOString(), correlationId: 'c', causationId: null, seq: 1, data: {paymentNo: 1, reservationNo, itemNo, amount: 1}}
    for (const as of ['reader', 'reservation', 'item'] as const) {
      const bus = await rawBus(stack.dataDir, await port(stack), {as})
      buses.push(bus)
      expect(await publishOutcome(bus, 'gdmarket/events/payment/PaymentApproved', JSON.stringify(forged)), as).toBe('refused')
    }
    // a reader changes nothing: no request to payment or the supervisor, no liveness, no reply, nothing oversized
    const refusedOfReader = {
      'gdmarket/requests/payment/approve': '{}',
      'gdmarket/requests/supervisor/stop': '{"name":"payment"}',
      'gdmarket/status/item': JSON.stringify({state: 'offline', pid: 1, at: new Date().toISOString()}),
      'gdmarket/replies/gdmarket-gateway': '{}',
      'gdmarket/requests/item/history': 'x'.repeat(300 * 1024),
    }
    for (const [topic, payload] of Object.entries(refusedOfReader)) {
      const reader = await rawBus(stack.dataDir, await port(stack))
      buses.push(reader)
      expect(await publishOutcome(reader, topic, payload), topic).toBe('refused')
    }
    expect(await stack.json(['reservation', 'show', String(reservationNo)])).toMatchObject({paymentStatus: 'NotPaid'})
    expect(await stack.json(['pay', String(reservationNo)])).toMatchObject({paymentNo: 1, amount: 500, paymentStatus: 'Paid'})
    expect(await stack.json(['lend', String(itemNo)])).toMatchObject({rentalStatus: 'Renting'})
    // every service went on as if nothing had been tried
    const status = await stack.json(['status'])
    expect(status.processes.map((p: {state: string; restarts: number}) => [p.state, p.restarts])).toEqual(status.processes.map(() => ['online', 0]))
  })

  it('a name with control characters is refused before it is sent (exit 2), and nothing is stored', async () => {
    stack = await startStack()
    const refused = await stack.cli('item', 'register', '--name', 'Lamp\u001b[2J', '--price', '5')
    expect(refused.code).toBe(2)
    expect(refused.stderr).toContain('U+001B at character 5 is a control character')
    expect((await stack.cli('item', 'list', '--json')).json).toEqual([])
  })

  it('closes a connection whose packet declares more than a login may send, before its body arrives', async () => {
    stack = await startStack()
    const brokerPort = await port(stack)
    const socket = net.connect(brokerPort, '127.0.0.1')
    await once(socket, 'connect')
    socket.on('error', () => {}) // the broker hangs up on us: EPIPE or ECONNRESET
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
    // a CONNECT claiming 256 MB, then junk until the broker hangs up (or 64 MB went out)
    socket.write(Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f]))
    const junk = Buffer.alloc(64 * 1024, 0x61)
    let sent = 0
    let hungUp = false
    void closed.then(() => (hungUp = true))
    while (!hungUp && sent < 64 * 1024 * 1024) {
      sent += junk.length
      if (!socket.write(junk)) await Promise.race([new Promise((resolve) => socket.once('drain', resolve)), closed])
    }
    expect(hungUp, `still open after ${sent} bytes`).toBe(true)
    expect(sent).toBeLessThan(64 * 1024 * 1024)
    // and the stack did not notice
    expect(await stack.json(['item', 'register', '--name', 'Lamp', '--price', '5'])).toMatchObject({itemNo: 1})
  })

  it('keeps the credentials in run/ (0600), new at every up, never on a command line', async () => {
    stack = await startStack()
    const file = path.join(stack.dataDir, 'run', 'credentials.json')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const first = JSON.parse(readFileSync(file, 'utf8'))
    const status = await stack.json(['status'])
    for (const p of status.processes) {
      const cmdline = readFileSync(`/proc/${p.pid}/cmdline`, 'utf8')
      for (const secret of Object.values(first) as string[]) expect(cmdline).not.toContain(secret)
    }
    await stack.cli('down')
    expect((await stack.cli('up')).code).toBe(0)
    expect(JSON.parse(readFileSync(file, 'utf8')).reader).not.toBe(first.reader)
  })
})

describe('up refuses what another user could change', () => {
  it('a config.json others may write, and a data dir another user owns: exit 2, nothing started', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gdmarket-test-'))
    try {
      writeFileSync(path.join(dir, 'config.json'), JSON.stringify({httpAuth: 0, httpPort: 0}))
      chmodSync(path.join(dir, 'config.json'), 0o666)
      const loose = await runCli(['up', '--port', '0'], {dataDir: dir})
      expect(loose.code).toBe(2)
      expect(loose.stderr).toContain('config.json can be written by others (mode 666)')
      expect(existsSync(path.join(dir, 'run', 'stack.json'))).toBe(false)
      if (process.getuid?.() === 0) {
        chmodSync(path.join(dir, 'config.json'), 0o600)
        chownSync(dir, 65534, 65534)
        const foreign = await runCli(['up', '--port', '0'], {dataDir: dir})
        expect(foreign.code).toBe(2)
        expect(foreign.stderr).toContain(`the data dir ${dir} belongs to uid 65534, not to you`)
        expect(existsSync(path.join(dir, 'run'))).toBe(false)
        // a symlink someone else planted in logs/ while the dir was open to them
        chownSync(dir, 0, 0)
        mkdirSync(path.join(dir, 'logs'))
        const secret = path.join(dir, 'secret')
        writeFileSync(secret, 'root only\n', {mode: 0o600})
        symlinkSync(secret, path.join(dir, 'logs', 'supervisor.log'))
        lchownSync(path.join(dir, 'logs', 'supervisor.log'), 65534, 65534)
        const planted = await runCli(['up', '--port', '0'], {dataDir: dir})
        expect(planted.code).toBe(2)
        expect(planted.stderr).toContain(`${path.join(dir, 'logs', 'supervisor.log')} belongs to uid 65534, not to you`)
        expect(readFileSync(secret, 'utf8')).toBe('root only\n')
      }
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})

describe('another local user, without credentials', () => {
  const root = isRoot('the stranger test')
  it.skipIf(!root)('as uid nobody reads, connects and changes nothing: every file, socket, broker login and gateway route is refused', async () => {
    stack = await startStack()
    const {itemNo} = await stack.json(['item', 'register', '--name', 'Camera', '--price', '500'])
    await stack.json(['reserve', String(itemNo), '--customer', 'Young', '--customer-id', 'young-1'])
    const status = await stack.json(['status'])
    // payment keeps its data in SQLite (docs/storage.md): its database and its write-ahead log
    const stores = ['item.journal', 'reservation.journal', 'view.journal', 'payment.sqlite', 'payment.sqlite-wal']
    const journals = stores.map((file) => path.join(stack!.dataDir, file))
    const before = journals.map((file) => readFileSync(file))

    // the probe runs from a folder that user can read; node is world-executable
    const folder = mkdtempSync(path.join(tmpdir(), 'gdmarket-stranger-'))
    const probe = path.join(folder, 'stranger.mjs')
    copyFileSync(new URL('./stranger.mjs', import.meta.url), probe)
    chmodSync(folder, 0o755)
    chmodSync(probe, 0o644)
    try {
      const args = ['--reuid=65534', '--regid=65534', '--clear-groups', '--', process.execPath, probe, stack.dataDir, String(status.port), String(status.gateway.httpPort)]
      const run = await runProcess('setpriv', args, {env: {PATH: process.env.PATH}, cwd: folder, timeoutMs: 60_000})
      expect(run.code, run.stderr).toBe(0)
      const seen = JSON.parse(run.stdout)
      expect(seen.uid).toBe(65534)
      expect(seen.listDataDir).toBe('EACCES')
      expect(Object.values(seen.read)).toEqual(Object.values(seen.read).map(() => 'EACCES'))
      expect(seen.brokerSocket).toBe('EACCES')
      expect(seen.gatewaySocket).toBe('EACCES')
      // it reaches the broker's port, and no login is taken (4: bad user name or password, 5: not authorized)
      for (const [login, answer] of Object.entries(seen.mqtt)) expect(answer, login).toMatch(/^connack [45]$/)
      // it reaches the gateway's port (the probe is open), and every route wants the token
      const {healthz, ...routes} = seen.http
      expect(healthz).toBe(200)
      expect(routes).toEqual(Object.fromEntries(Object.keys(routes).map((route) => [route, 401])))
    } finally {
      rmSync(folder, {recursive: true, force: true})
    }
    // nothing changed: the same bytes in every store, payment still running, the reservation unpaid
    expect(journals.map((file) => readFileSync(file))).toEqual(before)
    expect((await stack.json(['status'])).processes.find((p: {name: string}) => p.name === 'payment').state).toBe('online')
    expect(await stack.json(['reservation', 'show', '1'])).toMatchObject({paymentStatus: 'NotPaid'})
  })
})

