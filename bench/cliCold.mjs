// @ts-check
/**
 * The CLI as a new process: wall time of each command of a rental — `item register`, `reserve`,
 * `pay`, `lend`, `return` — and of the reads `item show`, `view`, `status`, against the running
 * stack, each beside `node -e ''`, spawned alternately so a busy moment hits both alike.
 */
import {runProcess} from '../dist/childProcess.js'
import {cleanEnv, runCli} from './stacks.mjs'
import {median, round} from './stats.mjs'

/** One rental's commands, in order; each line gets the numbers the ones before it made. */
const STEPS = /** @type {const} */ ([
  ['item register', () => ['item', 'register', '--name', 'Bench', '--price', '10']],
  ['reserve', (/** @type {any} */ s) => ['reserve', String(s.itemNo), '--customer', 'Bench']],
  ['pay', (/** @type {any} */ s) => ['pay', String(s.reservationNo)]],
  ['lend', (/** @type {any} */ s) => ['lend', String(s.itemNo)]],
  ['return', (/** @type {any} */ s) => ['return', String(s.itemNo)]],
  ['item show', (/** @type {any} */ s) => ['item', 'show', String(s.itemNo)]],
  ['view', () => ['view']],
  ['status', () => ['status']],
])

/** @param {string} dataDir @param {number} runs of each */
export async function measureCli(dataDir, runs) {
  const node = () => runProcess(process.execPath, ['-e', ''], {env: cleanEnv(), timeoutMs: 30_000})
  /** @type {Record<string, number[]>} */
  const cliMs = Object.fromEntries(STEPS.map(([name]) => [name, []]))
  /** @type {number[]} */
  const nodeMs = []
  // one rental first, not counted: the files they read are in the page cache afterwards
  for (let i = 0; i <= runs; i++) {
    /** @type {any} */
    const state = {}
    for (const [name, args] of STEPS) {
      const before = await node()
      const run = await runCli([...args(state), '--json', '--data-dir', dataDir], {timeoutMs: 30_000})
      if (run.code !== 0) throw new Error(`gdmarket ${name} exited ${run.code}: ${run.stderr.trim()}`)
      Object.assign(state, JSON.parse(run.stdout))
      if (i === 0) continue
      nodeMs.push(before.ms)
      cliMs[name].push(run.ms)
    }
  }
  const nodeMedianMs = round(median(nodeMs), 1)
  const commands = Object.fromEntries(
    Object.entries(cliMs).map(([name, samples]) => [name, {medianMs: round(median(samples), 1), ratio: round(median(samples) / nodeMedianMs)}]),
  )
  const worst = Object.entries(commands).reduce((a, b) => (b[1].ratio > a[1].ratio ? b : a))
  return {runs, nodeMedianMs, commands, worst: {command: worst[0], ...worst[1]}}
}
