// @ts-check
/**
 * Rental cycles on Mosquitto beside the embedded aedes (issue 18; docs/deploy.md): two fresh stacks,
 * one `up` as usual and one `up --broker` on a Mosquitto of its own (files from `gdmarket broker
 * config`, a free port of 127.0.0.1, a temporary folder), run the same cycles in rounds that
 * alternate which goes first (bench/sideBySide.mjs). Skipped with a note where Mosquitto is not installed.
 */
import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import net from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {runProcess, startProcess} from '../dist/childProcess.js'
import {progress} from './progress.mjs'
import {compareSideBySide} from './sideBySide.mjs'
import {BenchStack, cleanEnv, runCli} from './stacks.mjs'

/** Debian puts Mosquitto in /usr/sbin, which a user's PATH may lack (as test/e2e/mosquitto.ts looks). */
const mosquittoBin = () => ['/usr/sbin/mosquitto', ...(process.env.PATH ?? '').split(':').map((dir) => path.join(dir, 'mosquitto'))].find((file) => existsSync(file))

/**
 * @param {{rounds: number, cyclesPerSlice: number, warmupMs: number, limitSequential: number, limitBurst: number}} plan
 * @returns {Promise<{skipped: string} | {mosquittoVersion: string, aedes: any, mosquitto: any}>}
 */
export async function compareBrokers(plan) {
  const bin = mosquittoBin()
  if (!bin) return {skipped: 'mosquitto is not installed (apt-get install mosquitto): gdmarket on Mosquitto not measured'}
  const version = /version ([\d.]+)/.exec((await runProcess(bin, ['-h'], {env: cleanEnv()})).stdout)?.[1] ?? 'unknown'
  const aedes = await BenchStack.up('on aedes (embedded)')
  try {
    const onMosquitto = await BenchStack.up(`on Mosquitto ${version}`, {broker: (dataDir) => startMosquitto(bin, dataDir)})
    try {
      const systems = {aedes: settling(aedes), mosquitto: settling(onMosquitto)}
      // the broker's own CPU: aedes runs in the supervisor, Mosquitto in a process of its own
      const processes = {aedes: await aedes.pidsByName(), mosquitto: {...(await onMosquitto.pidsByName()), mosquitto: /** @type {number} */ (onMosquitto.broker?.pid)}}
      const compared = await compareSideBySide(plan, null, systems, processes)
      return {mosquittoVersion: version, aedes: compared.aedes, mosquitto: compared.mosquitto}
    } finally {
      await onMosquitto.stop()
    }
  } finally {
    await aedes.stop()
  }
}

/** @param {BenchStack} stack */
const settling = (stack) => ({...stack.market, settled: () => stack.bus.settled()})

/**
 * Mosquitto for the stack of `dataDir`, whose broker-credentials.json `broker config` makes; its
 * `stop()` ends it and removes its folder. It leaves nothing behind when it fails to start.
 * @param {string} bin @param {string} dataDir
 * @returns {Promise<import('./stacks.mjs').ExternalBroker>}
 */
async function startMosquitto(bin, dataDir) {
  const dir = mkdtempSync(path.join(tmpdir(), 'gdmarket-bench-mosquitto-'))
  const port = await freePort()
  // as root, Mosquitto would drop to its own user, who cannot read the 0600 files of this one
  const user = process.getuid?.() === 0 ? ['--user', 'root'] : []
  const written = await runCli(['broker', 'config', dir, '--port', String(port), ...user, '--data-dir', dataDir])
  if (written.code !== 0) {
    rmSync(dir, {recursive: true, force: true})
    throw new Error(`gdmarket broker config failed (${written.code}): ${written.stderr.trim()}`)
  }
  const broker = startProcess(bin, ['-c', path.join(dir, 'mosquitto.conf')], {env: cleanEnv()})
  const stop = async () => {
    broker.kill('SIGTERM')
    await broker.exited.catch(() => undefined)
    rmSync(dir, {recursive: true, force: true})
  }
  try {
    await listening(port, broker.exited)
  } catch (error) {
    await broker.stop()
    rmSync(dir, {recursive: true, force: true})
    throw error
  }
  progress(`Mosquitto on port ${port} (pid ${broker.pid})`)
  return {url: `mqtt://127.0.0.1:${port}`, pid: /** @type {number} */ (broker.pid), stop}
}

/** A port nobody listens on now (Mosquitto 2.0 cannot be told to pick one itself). */
async function freePort() {
  const server = net.createServer()
  await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)))
  const {port} = /** @type {net.AddressInfo} */ (server.address())
  await new Promise((resolve) => server.close(resolve))
  return port
}

/**
 * Resolves once `port` accepts a connection; rejects if the broker exits first or 15 s pass.
 * @param {number} port @param {Promise<{code: number | null, signal: string | null, stderr: string}>} exited
 */
async function listening(port, exited) {
  let gone = false
  const died = exited.then((r) => {
    gone = true
    throw new Error(`mosquitto exited (${r.code ?? r.signal}): ${r.stderr.trim()}`)
  })
  died.catch(() => {})
  const deadline = performance.now() + 15_000
  const accepts = () =>
    new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1')
      socket.once('connect', () => (socket.destroy(), resolve(true)))
      socket.once('error', () => resolve(false))
    })
  while (!(await accepts())) {
    if (gone) await died
    if (performance.now() > deadline) throw new Error(`mosquitto did not listen on port ${port} within 15 s`)
    await Promise.race([new Promise((resolve) => setTimeout(resolve, 50)), died])
  }
}
