import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {eventually, runCli, startCli, startStack, type Stack} from './stack.js'

interface Latency {
  count: number
  failed: number
  p50: number
  p95: number
  p99: number
}

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(async () => {
  await stack?.stop()
})

const reservations = async () => (await stack.json(['reservation', 'list'])) as {reservationStatus: string; customerName: string}[]
const countsOf = (latency: Record<string, Latency>) => Object.fromEntries(Object.entries(latency).map(([command, l]) => [command, l.count]))
const sumOfCounts = (latency: Record<string, Latency>) => Object.values(latency).reduce((sum, l) => sum + l.count, 0)

/** Every summary adds up, whatever ran: transactions = per-command counts = successful + failed. */
function expectConsistent(s: any): void {
  expect(s.transactions).toBe(sumOfCounts(s.latency))
  expect(s.successful + s.failed).toBe(s.transactions)
  for (const l of Object.values(s.latency as Record<string, Latency>)) {
    expect(l.p50).toBeLessThanOrEqual(l.p95)
    expect(l.p95).toBeLessThanOrEqual(l.p99)
  }
}

describe('gdmarket load against a real stack', () => {
  it('runs exactly --cycles cycles, all available, in the default mix, and leaves every rental finished', async () => {
    const before = (await reservations()).length
    const s = await stack.json(['load', '--cycles', '20', '--concurrent', '4'])
    expectConsistent(s)
    expect(s).toMatchObject({failed: 0, availability: 100, cycles: 20, cyclesFailed: 0, cyclesCut: 0, failures: [], concurrent: 4, interrupted: false})
    // rental=70,cancel=30 interleaved exactly: 14 rentals (5 commands) and 6 cancels (4 commands)
    expect(countsOf(s.latency)).toEqual({'item register': 20, reserve: 20, pay: 20, lend: 14, return: 14, 'reservation cancel': 6})
    expect(s.transactions).toBe(14 * 5 + 6 * 4)
    expect(s.elapsedMs).toBeGreaterThan(0)
    expect(s.rate).toBeGreaterThan(0)

    // the stack agrees: each cycle's reservation ended Completed (returned) or Cancelled, each payment once
    await eventually(async () => {
      const made = (await reservations()).slice(before)
      expect(made).toHaveLength(20)
      expect(made.filter((r) => r.reservationStatus === 'Completed')).toHaveLength(14)
      expect(made.filter((r) => r.reservationStatus === 'Cancelled')).toHaveLength(6)
      expect(made.every((r) => r.customerName === 'load')).toBe(true)
    })
    const payments = (await stack.json(['payment', 'list'])) as {paymentStatus: string}[]
    expect(payments.filter((p) => p.paymentStatus === 'Paid')).toHaveLength(14)
    expect(payments.filter((p) => p.paymentStatus === 'Cancelled')).toHaveLength(6) // refunded by reservation cancel
    await eventually(async () => {
      const rows = ((await stack.json(['view'])) as {itemName: string; itemStatus: string}[]).filter((row) => row.itemName.startsWith('load '))
      expect(rows).toHaveLength(20)
      expect(rows.filter((row) => row.itemStatus !== 'Rentable')).toEqual([]) // returned or cancelled: rentable again
    })
  })

  it('with --duration stops by itself and reports what ran', async () => {
    const s = await stack.json(['load', '--duration', '1s', '--concurrent', '2', '--mix', 'cancel=1'])
    expectConsistent(s)
    expect(s).toMatchObject({failed: 0, availability: 100, interrupted: false, mix: 'rental=0,cancel=1'})
    expect(s.elapsedMs).toBeGreaterThanOrEqual(1000)
    expect(s.transactions).toBeGreaterThan(0)
    expect(s.latency.lend).toBeUndefined() // cancel cycles only
  })

  it('prints a siege-like report for people, and exits 0', async () => {
    const result = await stack.cli('load', '--cycles', '2', '--concurrent', '1')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Transactions:      9 (9 succeeded, 0 failed)')
    expect(result.stdout).toContain('Availability:      100.00 %')
    expect(result.stdout).toContain('Cycles:            2 completed, 0 ended by a failure (mix rental=70,cancel=30)')
    expect(result.stdout).toMatch(/│ command +│ count │ failed │ p50 ms │ p95 ms │ p99 ms │/)
    expect(result.stdout).not.toContain('Failures')
    expect(result.stderr).toBe('') // no progress line: stderr is not a terminal here
  })

  it('stops early on Ctrl-C and still reports what ran (exit 0)', async () => {
    const before = (await reservations()).length
    const child = startCli(['load', '--duration', '2m', '--json', '--data-dir', stack.dataDir])
    try {
      // it is under way once its cycles show in the stack
      await eventually(async () => expect((await reservations()).length).toBeGreaterThan(before + 2), {timeoutMs: 30_000})
      child.kill('SIGINT')
      const result = await child.exited
      expect(result.code).toBe(0)
      const json = JSON.parse(result.stdout || 'null')
      expectConsistent(json)
      expect(json).toMatchObject({interrupted: true, failed: 0})
      expect(json.transactions).toBeGreaterThan(0)
    } finally {
      await child.stop() // a no-op when it has exited
    }
  })
})

describe('gdmarket load without a stack', () => {
  it('says the stack is not running (exit 5), like every command', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gdmarket-test-'))
    try {
      const result = await runCli(['load', '--cycles', '1', '--json'], {dataDir})
      expect(result.code).toBe(5)
      // this file's stack runs, and was the last `up`: the line says where, instead of how to start a second market
      expect(result.json).toEqual({error: {code: 'NOT_RUNNING', message: `no stack in ${dataDir}; one runs in ${stack.dataDir} (use --data-dir ${stack.dataDir})`}})
    } finally {
      rmSync(dataDir, {recursive: true, force: true})
    }
  })

  it('refuses --duration together with --cycles, and a duration without its unit (exit 2)', async () => {
    expect((await runCli(['load', '--cycles', '3', '--duration', '1s'])).code).toBe(2)
    const noUnit = await runCli(['load', '--duration', '30'])
    expect(noUnit.code).toBe(2)
    expect(noUnit.stderr).toContain('--duration: expected a duration with its unit, like 500ms, 30s or 2m, got "30"')
  })
})
