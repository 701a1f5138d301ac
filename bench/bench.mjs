// @ts-check
/**
 * The benchmark's run: what is measured, in which order, alternating what is compared. See
 * run.mjs for the entry point and docs/performance.md for how to read the results.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {setTimeout as sleep} from 'node:timers/promises'

import {runProcess} from '../dist/childProcess.js'
import {measureCli} from './cliCold.mjs'
import {compareDated} from './dated.mjs'
import {measureGrowth} from './growth.mjs'
import {countMessages} from './messages.mjs'
import {Limit} from './limit.mjs'
import {openMonolith} from './monolith.mjs'
import {MoleculerPeer} from './peers/moleculer/peer.mjs'
import {progress} from './progress.mjs'
import {measurePropagation} from './propagation.mjs'
import {measureViewReplicas} from './replicas.mjs'
import {renderReport} from './report.mjs'
import {compareBrokers} from './brokers.mjs'
import {compareSideBySide} from './sideBySide.mjs'
import {countSyscalls} from './syscalls.mjs'
import {BenchStack, keep, nodeBaselineRssMb, repoRoot, track} from './stacks.mjs'
import {median, round} from './stats.mjs'
import {judge} from './targets.mjs'
import {measureWalls} from './walls.mjs'

/** How much of everything: a full run takes a few minutes, a quick one (CI smoke) well under one. */
const plans = {
  full: {rounds: 3, cyclesPerSlice: 150, warmupMs: 1000, limitSequential: 1000, limitBurst: 5000, propagation: 200, countCycles: 20, cliRuns: 15, growthMs: 5000, extraUps: 1, replicaMs: 3000, datedRounds: 2, datedCycles: 150},
  quick: {rounds: 1, cyclesPerSlice: 16, warmupMs: 200, limitSequential: 100, limitBurst: 500, propagation: 10, countCycles: 3, cliRuns: 3, growthMs: 1000, extraUps: 0, replicaMs: 500, datedRounds: 1, datedCycles: 8},
}

/** @param {import('./options.mjs').Options} options */
export async function runBenchmark(options) {
  const plan = options.quick ? plans.quick : plans.full
  keep.dataDirs = options.keep
  const startedAt = new Date()
  const began = performance.now()
  const machine = describeMachine()
  progress(`${options.quick ? 'quick' : 'full'} run on ${machine.cpuModel} (${machine.cores} cores), node ${machine.node}`)
  /** @type {number[]} */
  const upMs = []
  /** @type {number[]} */
  const readyMs = []
  const started = (/** @type {BenchStack} */ stack) => {
    upMs.push(Math.round(stack.upMs))
    if (stack.readyMs !== null) readyMs.push(stack.readyMs)
  }

  // --- the limit, the monolith, gdmarket and the Moleculer peer, side by side ---
  const stack = await BenchStack.up('gdmarket', {env: profiling(options, 'main')})
  started(stack)
  await sleep(1000) // let start-up garbage settle before "idle"
  const idle = {...(await stack.rss()), bareNodeMb: await nodeBaselineRssMb()}
  progress(`idle stack: ${idle.totalMb} MB RSS`)
  const {compared, moleculer} = await measureSideBySide(options, plan, stack)
  const gatewayOwn = stack.gatewayOwn // what the gateway itself spent on each command of the cycles, from Server-Timing

  progress(`messages per rental cycle: ${plan.countCycles} cycles counted`)
  const messages = await countMessages(stack, plan.countCycles)
  const bestCycles = Math.max(...compared.gdmarket.cycles.map((/** @type {any} */ c) => c.cyclesPerSec))
  const walls = measureWalls(messages, bestCycles)
  const syscalls = options.strace ? await traceSyscalls(stack, plan.countCycles) : null
  progress(`the walls' checks: ${walls.perCycleUs} µs per rental cycle`)
  progress(`event propagation: ${plan.propagation} samples`)
  const propagation = await measurePropagation(stack, plan.propagation)
  progress(`the CLI as a new process: ${plan.cliRuns} runs each`)
  const cli = await measureCli(stack.dataDir, plan.cliRuns)
  const dated = await compareDated(stack, {rounds: plan.datedRounds, cycles: plan.datedCycles, concurrency: 8})
  const afterLoad = await stack.rss()
  await stack.stop()
  // on a stack of its own: 200 rows a read, not the thousands the cycles above registered, and its
  // scaling requests are not the gateway's own time on a rental's commands
  progress(`view replicas: /itemInfoes reads/s with 1, 2 and 3, ${plan.replicaMs} ms each`)
  const replicaStack = await BenchStack.up('view replicas')
  started(replicaStack)
  const viewReplicas = await measureViewReplicas(replicaStack, {durationMs: plan.replicaMs, concurrency: 16, items: 200})
  await replicaStack.stop()
  if (options.cpuProfDir) progress(`CPU profiles of the main stack written to ${path.join(options.cpuProfDir, 'main')}`)

  // --- gdmarket on Mosquitto beside the embedded aedes: two stacks of their own ---
  progress('gdmarket on Mosquitto beside aedes: the same rental cycles on two new stacks')
  const brokers = await compareBrokers(plan)
  if ('skipped' in brokers) progress(`skipped: ${brokers.skipped}`)

  // --- growth, on a stack of its own ---
  const growth = await measureGrowth(
    {sizes: options.sizes, seedBudgetMs: options.seedBudgetMs, durationMs: plan.growthMs, concurrency: 8, env: profiling(options, 'growth')},
    started,
  )

  for (let i = 0; i < plan.extraUps; i++) {
    const extra = await BenchStack.up('start sample')
    started(extra)
    await extra.stop()
  }

  const results = {
    benchmark: 'gdmarket',
    mode: options.quick ? 'quick' : 'full',
    startedAt: startedAt.toISOString(),
    durationMs: 0,
    machine: {...machine, loadAverageAtEnd: os.loadavg().map((x) => round(x))},
    code: await describeCode(),
    options: {sizes: options.sizes, seedBudgetMs: options.seedBudgetMs, ...plan},
    cpuProfileDir: options.cpuProfDir,
    limit: compared.limit,
    monolith: compared.monolith,
    gdmarket: {...compared.gdmarket, propagation, messagesPerCycle: messages, gatewayOwn: gatewayOwn.summary(), walls, viewReplicas, dated, syscalls},
    moleculer,
    brokers,
    cli,
    start: {upMs, upMedianMs: Math.round(median(upMs)), readyMs},
    memory: {idle, afterLoad},
    growth,
    /** @type {any[]} */
    targets: [],
    notes: [
      'cycles/s: completed rental cycles (register, reserve, pay, lend, return) ÷ time until every store has applied every event they caused',
      'command latencies are through the gateway over keep-alive HTTP on its Unix socket (no CLI process start); the monolith is the same domain and stores without the broker or the gateway',
      "gateway's own time: the gateway's Server-Timing (its time on a request less the time it waited for the services), over every cycle of the side-by-side runs",
      'on Mosquitto: two new stacks, one on the embedded aedes (over its Unix socket, MQTT 3.1.1) and one on a Mosquitto of its own (`up --broker`, TCP on 127.0.0.1, MQTT 5), the same cycles in alternating rounds; CPU includes the mosquitto process',
      'Moleculer: the same domain functions and stores on Moleculer 0.14 (four nodes and a moleculer-web node, each a process, MQTT transporter on a plain aedes broker); events are fire-and-forget, no outbox, inbox, read-your-writes or broker credentials (docs/performance.md)',
    ],
  }
  results.targets = judge(results)
  results.durationMs = Math.round(performance.now() - began)

  writeFileSync(options.out, JSON.stringify(results, null, 2) + '\n')
  progress(`results written to ${options.out}`)
  if (options.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n')
  else process.stdout.write(renderReport(results))
}

/**
 * The limit, the monolith, gdmarket and the Moleculer peer in rounds (bench/sideBySide.mjs); then
 * the peer's messages per cycle and memory. The limit, the monolith and the peer are stopped
 * before it returns; the stack goes on.
 * @param {import('./options.mjs').Options} options @param {typeof plans.full} plan @param {BenchStack} stack
 */
async function measureSideBySide(options, plan, stack) {
  const limit = await Limit.start()
  const monolithDir = mkdtempSync(path.join(os.tmpdir(), 'gdmarket-bench-monolith-'))
  const untrackMonolith = track({stop: async () => rmSync(monolithDir, {recursive: true, force: true})})
  const monolith = await openMonolith(monolithDir)
  const peer = await MoleculerPeer.start({env: profiling(options, 'moleculer')})
  await sleep(1000) // as for the stack: start-up garbage settles before "idle"
  const peerIdle = peer.rss()
  progress(`idle Moleculer peer: ${peerIdle.totalMb} MB RSS`)

  const gdmarket = {...stack.market, settled: () => stack.bus.settled()}
  const compared = await compareSideBySide(plan, limit, {monolith, gdmarket, moleculer: peer.rentals}, {gdmarket: await stack.pidsByName(), moleculer: peer.pidsByName()})
  await limit.stop()
  await monolith.close()
  rmSync(monolithDir, {recursive: true, force: true})
  untrackMonolith()

  progress(`Moleculer messages per rental cycle: ${plan.countCycles} cycles counted`)
  const peerMessages = await peer.countMessages(plan.countCycles)
  const moleculer = {
    ...compared.moleculer,
    versions: peer.versions,
    layout: 'item, reservation, payment and view: a Moleculer node (process) each; moleculer-web in a fifth node process; MQTT transporter (QoS 0) to a plain aedes broker in its own process, over its Unix socket',
    messagesPerCycle: peerMessages,
    lostEvents: peer.lostEvents,
    memory: {idle: peerIdle, afterLoad: peer.rss()},
  }
  await peer.stop()
  return {compared, moleculer}
}

/**
 * Syscalls per rental cycle with `--strace`; a note instead when strace cannot attach (not
 * installed, or ptrace not allowed in a container).
 * @param {BenchStack} stack @param {number} cycles
 */
async function traceSyscalls(stack, cycles) {
  progress(`syscalls per rental cycle: strace -c -f over ${cycles} cycles, then as long at rest`)
  try {
    return await countSyscalls(stack, cycles)
  } catch (error) {
    const note = `not counted: ${/** @type {Error} */ (error).message}`
    progress(`syscalls: ${note}`)
    return {note}
  }
}

/**
 * With --cpu-prof, a stack's processes (the `up` command, the supervisor, the daemons) write CPU
 * profiles when they exit, into <dir>/<stack>/ (see cpuProfile.cjs).
 * @param {import('./options.mjs').Options} options @param {string} stack
 * @returns {Record<string, string>}
 */
function profiling(options, stack) {
  if (!options.cpuProfDir) return {}
  const dir = path.join(options.cpuProfDir, stack)
  mkdirSync(dir, {recursive: true})
  const preload = fileURLToPath(new URL('./cpuProfile.cjs', import.meta.url))
  // the compiled modules rather than the bundles, so the profiles name each package
  return {NODE_OPTIONS: `--require ${preload}`, GDMARKET_BENCH_PROFILE_DIR: dir, GDMARKET_UNBUNDLED: '1'}
}

function describeMachine() {
  const cpus = os.cpus()
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    /** where the stacks' stores are: fsync costs nothing on tmpfs */
    tmpFilesystem: filesystemOf(os.tmpdir()),
    loadAverageAtStart: os.loadavg().map((x) => round(x)),
  }
}

/** Which code was measured: the commit, and whether src/ differed from it. */
async function describeCode() {
  const git = async (/** @type {string[]} */ args) => {
    const {code, stdout} = await runProcess('git', args, {cwd: repoRoot, env: process.env, stderr: 'ignore'})
    if (code !== 0) throw new Error(`git ${args[0]} exited ${code}`)
    return stdout.trim()
  }
  try {
    return {commit: await git(['rev-parse', '--short', 'HEAD']), srcModified: (await git(['status', '--porcelain', '--', 'src'])) !== ''}
  } catch {
    return {commit: null, srcModified: null}
  }
}

/** The type of the filesystem holding `dir`, from /proc/mounts (the longest mount point above it). */
function filesystemOf(/** @type {string} */ dir) {
  try {
    const mounts = readFileSync('/proc/mounts', 'utf8')
      .split('\n')
      .map((line) => line.split(' '))
      .filter(([, point]) => point && (dir === point || dir.startsWith(point.endsWith('/') ? point : point + '/')))
    return mounts.sort((a, b) => b[1].length - a[1].length)[0]?.[2] ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
