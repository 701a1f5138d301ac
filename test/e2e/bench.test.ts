import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, describe, expect, it} from 'vitest'

import {runProcess, type ProcessResult} from '../../src/childProcess.js'
import {hasMosquitto} from './mosquitto.js'
import {stateHome} from './stack.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const outDir = mkdtempSync(path.join(tmpdir(), 'gdmarket-bench-test-'))
afterAll(() => rmSync(outDir, {recursive: true, force: true}))

/** `npm run bench -- ARGS` with an explicit environment: vitest's NODE_ENV=test must not reach the stacks. */
function npmRunBench(args: string[]): Promise<ProcessResult> {
  const env = {PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), XDG_STATE_HOME: stateHome, NO_COLOR: '1'}
  return runProcess('npm', ['run', 'bench', '--', ...args], {cwd: root, env})
}

const aNumber = expect.any(Number)
/** p50/p99 of one measured thing: the figures are numbers, whatever their values */
const latency = expect.objectContaining({count: aNumber, p50Ms: aNumber, p99Ms: aNumber})
const cycleRun = expect.objectContaining({concurrency: aNumber, cycles: aNumber, cyclesPerSec: aNumber, systemCpuMsPerCycle: aNumber})
/** the section on Mosquitto is measured where it is installed (and in CI, where it must be), else skipped with a note */
const mosquittoPresent = hasMosquitto('the bench section on Mosquitto')

// Speed is never asserted here: only that the quick run works and reports every section.
describe('npm run bench --quick (smoke)', () => {
  it('measures every section and writes the same JSON to stdout and to --out', {timeout: 240_000}, async () => {
    const out = path.join(outDir, 'results.json')
    const run = await npmRunBench(['--quick', '--json', '--out', out])
    expect(run.code, run.stderr).toBe(0)

    const results = JSON.parse(readFileSync(out, 'utf8'))
    // stdout: npm's own "> gdmarket bench" lines, then the JSON
    expect(JSON.parse(run.stdout.slice(run.stdout.indexOf('{')))).toEqual(results)

    expect(results.machine).toMatchObject({cpuModel: expect.any(String), cores: aNumber, node: expect.any(String)})
    const limit = {sequential: latency, inFlight32: expect.objectContaining({count: aNumber, requestsPerSec: aNumber})}
    expect(results.limit).toEqual({...limit, persistentSession: limit})
    // gdmarket on Mosquitto beside aedes (issue 18): the same cycles on two stacks of their own
    const brokers = mosquittoPresent ? [results.brokers.aedes, results.brokers.mosquitto] : []
    if (mosquittoPresent) expect(results.brokers.mosquittoVersion).toMatch(/^2\./)
    else expect(results.brokers).toEqual({skipped: expect.stringContaining('mosquitto')})
    for (const system of [results.monolith, results.gdmarket, results.moleculer, ...brokers]) {
      expect(system.cycles.map((c: {concurrency: number}) => c.concurrency)).toEqual([1, 8, 32])
      for (const c of system.cycles) {
        expect(c).toEqual(cycleRun)
        expect(c.commands).toEqual({'item register': latency, reserve: latency, pay: latency, lend: latency, return: latency})
      }
    }
    // the Moleculer peer (issue 20): its cycles above, and what it says of its events and messages
    expect(results.moleculer.cycles.map((c: {lostEvents: number}) => c.lostEvents)).toEqual([aNumber, aNumber, aNumber])
    expect(results.moleculer).toMatchObject({versions: {moleculer: expect.stringMatching(/^0\.14\./), moleculerWeb: expect.any(String)}, lostEvents: aNumber})
    expect(results.moleculer.messagesPerCycle).toMatchObject({published: aNumber, byKind: {REQ: aNumber, RES: aNumber, EVENT: aNumber}})
    expect(Object.keys(results.moleculer.memory.idle.byProcessMb).sort()).toEqual(['broker', 'gateway', 'item', 'payment', 'reservation', 'view'])
    expect(results.gdmarket.propagation).toMatchObject({p50Ms: aNumber, p99Ms: aNumber, method: expect.any(String)})
    expect(results.gdmarket.messagesPerCycle).toMatchObject({published: aNumber, byKind: {request: aNumber, reply: aNumber, event: aNumber}})
    expect(results.cli).toMatchObject({nodeMedianMs: aNumber, worst: {ratio: aNumber}})
    expect(Object.keys(results.cli.commands)).toEqual(['item register', 'reserve', 'pay', 'lend', 'return', 'item show', 'view', 'status'])
    expect(results.gdmarket.messagesPerCycle.published).toBeGreaterThan(0)
    expect(results.gdmarket.gatewayOwn['item register']).toMatchObject({p50Ms: aNumber})
    expect(results.gdmarket.walls).toMatchObject({nsPerPublish: {event: aNumber, request: aNumber, reply: aNumber, status: aNumber}, nsPerBearer: aNumber, nsPerPacket: aNumber})
    expect(results.gdmarket.walls.perCycleUs).toBeGreaterThan(0)
    expect(results.start).toMatchObject({upMedianMs: aNumber, upMs: expect.arrayContaining([aNumber])})
    for (const rss of [results.memory.idle, results.memory.afterLoad]) {
      expect(rss.totalMb).toEqual(aNumber)
      expect(Object.keys(rss.byProcessMb).sort()).toEqual(['item', 'payment', 'reservation', 'supervisor', 'view'])
    }
    for (const kind of ['undated', 'dated']) expect(results.gdmarket.dated[kind], kind).toMatchObject({cycles: aNumber, cyclesPerSec: aNumber, commands: {reserve: latency}})
    expect(results.growth.sizes).toEqual([expect.objectContaining({size: 1000, items: aNumber, cyclesPerSec: aNumber})])
    expect(results.growth.sizes[0].commands.reserve).toEqual(latency)

    expect(results.targets.map((t: {id: string}) => t.id)).toEqual([
      'cyclesVsMonolith',
      'cyclesVsTransport',
      'cyclesVsMoleculer',
      'p99At8With1k',
      'syscallsPerCycle',
      'messagesPerCycle',
      'gatewayOwnP50',
      'cliVsNode',
      'growthP50',
      'nearP50',
      'datedCycles',
      'upMs',
      'stackRssIdle',
    ])
    // a target is judged from its figure; without one it is not judged at all
    for (const t of results.targets) expect(t.figure === null ? t.pass : typeof t.pass, t.id).toBe(t.figure === null ? null : 'boolean')
  })
})
