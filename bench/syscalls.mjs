// @ts-check
/**
 * Syscalls per rental cycle (`npm run bench -- --strace`, issue 20): `strace -c -f` attached to
 * each process of the stack (the supervisor with its broker and gateway, and each daemon, with all
 * their threads: libuv's pool does the file writes and fsyncs) while cycles run one after another,
 * then the counts ÷ the cycles, by process and by call. strace slows every call it sees, so only
 * the counts are kept, never the times. Timers that run anyway (liveness, health files) are in the
 * counts too; a window of the same length at rest says how much.
 */
import {spawn} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import {rentalCycle} from './cycles.mjs'
import {track} from './stacks.mjs'
import {Latencies, round} from './stats.mjs'

/**
 * `strace -c` attached to every named process, until `stop()`: then each process's calls by name.
 * @param {Record<string, number>} pids
 */
async function attach(pids) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'gdmarket-bench-strace-'))
  const tracers = Object.entries(pids).map(([name, pid]) => {
    const out = path.join(dir, `${name}.txt`)
    const child = spawn('strace', ['-c', '-f', '-o', out, '-p', String(pid)], {stdio: ['ignore', 'ignore', 'pipe']})
    const attached = new Promise((resolve, reject) => {
      let said = ''
      child.stderr.on('data', (chunk) => {
        said += chunk
        if (/attached/.test(said)) resolve(undefined)
      })
      child.once('exit', (code) => reject(new Error(`strace -p ${pid} (${name}) exited ${code}: ${said.trim().split('\n')[0]}`)))
    })
    const exited = new Promise((resolve) => child.once('exit', resolve))
    return {name, out, child, attached, exited}
  })
  const untrack = track({stop: async () => tracers.forEach((t) => t.child.kill('SIGKILL'))})
  await Promise.all(tracers.map((t) => t.attached))
  return {
    async stop() {
      for (const t of tracers) t.child.kill('SIGINT')
      await Promise.all(tracers.map((t) => t.exited))
      untrack()
      /** @type {Record<string, Record<string, number>>} */
      const calls = {}
      for (const t of tracers) calls[t.name] = parseSummary(readFileSync(t.out, 'utf8'))
      rmSync(dir, {recursive: true, force: true})
      return calls
    },
  }
}

/**
 * The calls column of `strace -c`'s table, by syscall (the total line left out).
 * @param {string} text @returns {Record<string, number>}
 */
export function parseSummary(text) {
  /** @type {Record<string, number>} */
  const calls = {}
  for (const line of text.split('\n')) {
    const m = /^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?([a-z_0-9]+)\s*$/.exec(line)
    if (m && m[2] !== 'total') calls[m[2]] = (calls[m[2]] ?? 0) + Number(m[1])
  }
  return calls
}

/**
 * @param {import('./stacks.mjs').BenchStack} stack @param {number} cycles
 */
export async function countSyscalls(stack, cycles) {
  const market = {...stack.market, settled: () => stack.bus.settled()}
  await stack.bus.settled()
  const pids = await stack.pidsByName()
  const working = await attach(pids)
  const began = performance.now()
  for (let i = 0; i < cycles; i++) await rentalCycle(market, new Latencies(), 'strace')
  await stack.bus.settled()
  const windowMs = performance.now() - began
  const during = await working.stop()
  // the same time at rest: what the timers cost, which the cycles did not cause
  const resting = await attach(pids)
  await new Promise((resolve) => setTimeout(resolve, windowMs))
  const atRest = await resting.stop()
  return {cycles, windowMs: Math.round(windowMs), ...perCycle(during, atRest, cycles)}
}

/**
 * Calls per cycle by process and by syscall: the window's counts less those of the same time at rest.
 * @param {Record<string, Record<string, number>>} during @param {Record<string, Record<string, number>>} atRest @param {number} cycles
 */
function perCycle(during, atRest, cycles) {
  /** @type {Record<string, number>} */
  const byProcess = {}
  /** @type {Record<string, number>} */
  const byCall = {}
  /** @type {Record<string, number>} */
  const restByProcess = {}
  /** @type {Record<string, Record<string, number>>} */
  const detail = {}
  for (const [name, calls] of Object.entries(during)) {
    let total = 0
    detail[name] = {}
    for (const [call, count] of Object.entries(calls)) {
      const n = Math.max(0, count - (atRest[name]?.[call] ?? 0))
      total += n
      byCall[call] = (byCall[call] ?? 0) + n
      if (n / cycles >= 0.5) detail[name][call] = round(n / cycles, 1)
    }
    byProcess[name] = round(total / cycles, 1)
    restByProcess[name] = Object.values(atRest[name] ?? {}).reduce((sum, n) => sum + n, 0)
  }
  const perCall = Object.fromEntries(
    Object.entries(byCall)
      .map(([call, n]) => /** @type {[string, number]} */ ([call, round(n / cycles, 1)]))
      .filter(([, n]) => n >= 0.1)
      .sort((a, b) => b[1] - a[1]),
  )
  const total = round(Object.values(byProcess).reduce((sum, n) => sum + n, 0), 1)
  return {perCycle: total, byProcess, byCall: perCall, byProcessAndCall: detail, atRestByProcess: restByProcess}
}
