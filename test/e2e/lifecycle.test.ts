import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {eventually, runCli, startStack, type Stack} from './stack.js'

let stack: Stack | undefined
afterEach(async () => {
  await stack?.stop()
  stack = undefined
})

const processOf = (status: any, name: string) => status.processes.find((p: {name: string}) => p.name === name)

describe('the stack', () => {
  it('up reports ready, status shows every process online with the port, up again says it already runs, down stops all', async () => {
    stack = await startStack()
    const status = await stack.json(['status'])
    expect(status.port).toBeGreaterThan(0)
    expect(status.processes.map((p: {name: string}) => p.name)).toEqual(['supervisor', 'item', 'reservation', 'payment', 'view'])
    const asked = Date.now()
    for (const p of status.processes) {
      expect(p).toMatchObject({state: 'online', pid: expect.any(Number), restarts: 0})
      // up since the stack started, and not longer: its file says when that was
      const since = Date.parse(JSON.parse(readFileSync(path.join(stack.dataDir, 'run', 'stack.json'), 'utf8')).startedAt)
      expect(p.uptimeMs).toBeGreaterThan(0)
      expect(p.uptimeMs).toBeLessThanOrEqual(asked - since + 1000)
    }
    expect(status.gateway).toMatchObject({httpPort: expect.any(Number), socket: path.join(stack.dataDir, 'run', 'gateway.sock')})
    expect(status.breakers).toEqual([expect.objectContaining({name: 'payment', service: 'reservation', state: 'closed'})])
    expect(JSON.parse(readFileSync(path.join(stack.dataDir, 'run', 'stack.json'), 'utf8'))).toMatchObject({port: status.port})

    const again = await stack.cli('up', '--json')
    expect(again.code).toBe(0)
    expect(again.json).toMatchObject({alreadyRunning: true, port: status.port})
    expect(again.stderr).toContain('already running')

    const pids: number[] = status.processes.map((p: {pid: number}) => p.pid)
    expect((await stack.cli('down')).code).toBe(0)
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow()
    expect((await stack.cli('status')).code).toBe(5)
  })

  it('logs prints each daemon log, merged or one at a time', async () => {
    stack = await startStack()
    const all = await stack.cli('logs')
    expect(all.code).toBe(0)
    for (const name of ['supervisor', 'item', 'reservation', 'payment', 'view']) expect(all.stdout).toContain(` ${name}: `)
    const payment = await stack.logs('payment')
    expect(payment.length).toBeGreaterThan(0)
    expect(payment.every((line) => line.service === 'payment' && ['info', 'warn', 'error'].includes(line.level) && !Number.isNaN(Date.parse(line.time)))).toBe(true)
    // a clean start warns about nothing (the supervisor's pid-less `offline` is no stale will)
    expect((await stack.logs('item')).filter((line) => line.level === 'warn')).toEqual([])
  })
})

describe('one service stopped and started again', () => {
  it('reserve works while item is stopped; item catches up on start (temporal decoupling)', async () => {
    stack = await startStack()
    const {itemNo} = await stack.json(['item', 'register', '--name', 'Camera', '--price', '100'])
    const stopped = await stack.json(['service', 'stop', 'item'])
    expect(processOf({processes: stopped}, 'item')).toMatchObject({state: 'stopped', pid: null})

    const shown = await stack.cli('item', 'show', String(itemNo))
    expect(shown.code).toBe(5)
    expect(shown.stderr).toContain('gdmarket service start item')

    const reservation = await stack.json(['reserve', String(itemNo), '--customer', 'Young'])
    expect(reservation).toMatchObject({reservationStatus: 'Reserved'})
    expect(processOf(await stack.json(['status']), 'item').state).toBe('stopped') // stays stopped

    await stack.json(['service', 'start', 'item'])
    await eventually(async () =>
      expect(await stack!.json(['item', 'show', String(itemNo)])).toMatchObject({itemStatus: 'NotRentable', reservationNo: reservation.reservationNo}),
    {timeoutMs: 2000})
  })

  it('a killed service is restarted by the supervisor and counted', async () => {
    stack = await startStack()
    const before = processOf(await stack.json(['status']), 'payment')
    process.kill(before.pid, 'SIGKILL')
    const after = await eventually(async () => {
      const p = processOf(await stack!.json(['status']), 'payment')
      expect(p).toMatchObject({state: 'online', restarts: 1})
      expect(p.pid).not.toBe(before.pid)
      return p
    })
    expect(after.lastExit).toBe('signal SIGKILL')
    const {itemNo} = await stack.json(['item', 'register', '--name', 'Lamp', '--price', '20'])
    const {reservationNo} = await stack.json(['reserve', String(itemNo), '--customer', 'Kim'])
    expect(await stack.json(['pay', String(reservationNo)])).toMatchObject({paymentStatus: 'Paid'})
  })
})

describe('settings: flag > GDMARKET_* env > config.json > default', () => {
  it('config.json sets the payment limit; the environment overrides it', async () => {
    stack = await startStack({config: {paymentLimit: 50}})
    const {itemNo} = await stack.json(['item', 'register', '--name', 'Piano', '--price', '80'])
    const {reservationNo} = await stack.json(['reserve', String(itemNo), '--customer', 'Lee'])
    const declined = await stack.cli('pay', String(reservationNo), '--json')
    expect(declined.code).toBe(3)
    expect(declined.json.error.code).toBe('DECLINED')
    expect(await stack.json(['reservation', 'show', String(reservationNo)])).toMatchObject({paymentStatus: 'NotPaid'})
    await stack.stop()

    stack = await startStack({config: {paymentLimit: 50}, env: {GDMARKET_PAYMENT_LIMIT: '100'}})
    const item = await stack.json(['item', 'register', '--name', 'Piano', '--price', '80'])
    const res = await stack.json(['reserve', String(item.itemNo), '--customer', 'Lee'])
    expect(await stack.json(['pay', String(res.reservationNo)])).toMatchObject({paymentStatus: 'Paid', amount: 80})
  })

  it('a payment slower than paymentTimeoutMs fails with exit 5 and leaves the reservation NotPaid', async () => {
    stack = await startStack({config: {paymentDelayMs: 1500, paymentTimeoutMs: 300}})
    const {itemNo} = await stack.json(['item', 'register', '--name', 'Boat', '--price', '300'])
    const {reservationNo} = await stack.json(['reserve', String(itemNo), '--customer', 'Park'])
    const pay = await stack.cli('pay', String(reservationNo))
    expect(pay.code).toBe(5)
    expect(pay.stderr).toContain('try again later')
    expect(await stack.json(['reservation', 'show', String(reservationNo)])).toMatchObject({paymentStatus: 'NotPaid'})
  })

  it('an invalid config.json is refused before anything starts (exit 2)', async () => {
    const {mkdtempSync, rmSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gdmarket-test-'))
    try {
      writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({paymentTimeoutMs: 'soon'}))
      const up = await runCli(['up'], {dataDir})
      expect(up.code).toBe(2)
      expect(up.stderr).toContain('paymentTimeoutMs')
      writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({paymentTimeout: 5}))
      const unknown = await runCli(['up'], {dataDir})
      expect(unknown.code).toBe(2)
      expect(unknown.stderr).toContain('unknown setting "paymentTimeout"')
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})

describe('an unreadable store', () => {
  it('stops its service from starting, is named in the error, and is left byte-for-byte untouched', async () => {
    stack = await startStack()
    await stack.json(['item', 'register', '--name', 'Camera', '--price', '100'])
    await stack.cli('down')
    const file = path.join(stack.dataDir, 'reservation.json')
    const broken = '{"format": 1, "state": {"reservations": {}, truncated'
    writeFileSync(file, broken)

    const up = await stack.cli('up')
    expect(up.code).toBe(5)
    expect(up.stderr).toContain(file)
    expect(up.stderr).toContain('reservation')
    expect(up.stderr.trim().split('\n')).toHaveLength(1)
    expect(readFileSync(file, 'utf8')).toBe(broken)
    expect((await stack.cli('status')).code).toBe(5) // nothing left running
  })
})

describe('a port in use (issue 21, item 3)', () => {
  it('fails up with exit 5 and one line naming the port and how to choose another, for the broker as for the gateway; nothing is left running', async () => {
    const {mkdtempSync, rmSync} = await import('node:fs')
    const {tmpdir} = await import('node:os')
    const net = await import('node:net')
    const holder = net.createServer()
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
    const taken = String((holder.address() as {port: number}).port)
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gdmarket-test-'))
    try {
      for (const [flag, choose] of [['--port', '--port N or the setting port'], ['--http-port', '--http-port N or the setting httpPort']]) {
        const other = flag === '--port' ? ['--http-port', '0'] : ['--port', '0']
        const up = await runCli(['up', flag, taken, ...other], {dataDir})
        expect(up.code, up.stderr).toBe(5)
        const who = flag === '--port' ? 'the MQTT broker' : 'the HTTP gateway'
        expect(up.stderr.trim()).toBe(`gdmarket: ${who} cannot listen on 127.0.0.1:${taken}: port ${taken} is in use; choose another with ${choose} (0 = any free port)`)
        expect((await runCli(['status'], {dataDir})).code).toBe(5) // nothing left running
      }
    } finally {
      holder.close()
      rmSync(dataDir, {recursive: true, force: true})
    }
  })
})
