import http from 'node:http'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {fileURLToPath} from 'node:url'

import {runProcess, startProcess, type RunningProcess} from '../../src/childProcess.js'
import {GatewayClient} from '../../src/cli/gatewayClient.js'
import {marketClient, type Market} from '../../src/cli/market.js'
import {hasMosquitto, startMosquitto, type BrokerTls, type Mosquitto} from './mosquitto.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const runJs = path.join(root, 'bin', 'run.js')

export interface CliResult {
  code: number
  stdout: string
  stderr: string
  /** stdout parsed as JSON, when it is JSON */
  json: any
}

/**
 * Where the CLIs of this test file keep the registry of running stacks (src/cli/knownStacks.ts):
 * a folder of its own, so a test never reads or writes the user's ~/.local/state/gdmarket.
 */
export const stateHome = mkdtempSync(path.join(tmpdir(), 'gdmarket-state-'))
process.once('exit', () => rmSync(stateHome, {recursive: true, force: true}))

/** The environment a test's CLI gets, and nothing more: vitest sets NODE_ENV=test, and a child must not inherit that (nor the user's GDMARKET_* settings). */
export const cliEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  XDG_STATE_HOME: stateHome,
  NO_COLOR: '1',
  ...extra,
})

/** The built CLI as a new process, run to its end, with cliEnv(options.env). */
export async function runCli(args: string[], options: {dataDir?: string; env?: Record<string, string>; cwd?: string} = {}): Promise<CliResult> {
  const argv = options.dataDir ? [...args, '--data-dir', options.dataDir] : args
  const {code, stdout, stderr} = await runProcess(process.execPath, [runJs, ...argv], {env: cliEnv(options.env), cwd: options.cwd})
  let json: unknown
  try {
    json = JSON.parse(stdout)
  } catch {
    json = undefined
  }
  return {code: code ?? -1, stdout, stderr, json}
}

/**
 * The built CLI started and left running (`events --follow`, `load --duration`, `scenario run`), for
 * a test that reads its output meanwhile and sends it Ctrl-C; `stop()` it in a `finally`.
 */
export function startCli(args: string[], options: {env?: Record<string, string>} = {}): RunningProcess {
  return startProcess(process.execPath, [runJs, ...args], {env: cliEnv(options.env)})
}

export interface Stack {
  dataDir: string
  /** the stack's own Mosquitto, when it runs on one (StackOptions.broker) */
  mosquitto?: Mosquitto
  /** runs `gdmarket ARGS --data-dir <this stack>`; add --json yourself when you want `json` */
  cli(...args: string[]): Promise<CliResult>
  /** the same with --json, failing the test unless it exits as expected */
  json(args: string[], expectedCode?: number): Promise<any>
  /** `logs NAME --json`: one {time, level, service, message} a line */
  logs(name: string): Promise<{time: string; level: string; service: string; message: string}[]>
  pids(): Promise<number[]>
  stop(): Promise<void>
}

export interface StackOptions {
  config?: Record<string, unknown>
  env?: Record<string, string>
  /** an empty directory for the stack's data (default: a new temporary one); emptied by `stop()` */
  dataDir?: string
  /** `mosquitto`: on a Mosquitto of its own (`up --broker`, docs/deploy.md), stopped with it; default: the embedded broker */
  broker?: TestBroker
  /** on Mosquitto: a TLS listener with this certificate, and `up --broker mqtts://… --broker-ca-file caFile` */
  tls?: BrokerTls & {caFile: string}
}

export type TestBroker = 'embedded' | 'mosquitto'

/** The brokers a guarantee is tested on: Mosquitto too where it is installed (and in CI, where it must be). */
export const testBrokers = (test: string): TestBroker[] => (hasMosquitto(test) ? ['embedded', 'mosquitto'] : ['embedded'])

/** A fresh stack in a temporary data directory on port 0; `stop()` ends every process it started. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dataDir = options.dataDir ?? mkdtempSync(path.join(tmpdir(), 'gdmarket-test-'))
  // never a fixed port: also an `up` a test runs again takes any free one
  writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({httpPort: 0, ...options.config}))
  const cli = (...args: string[]) => runCli(args, {dataDir, env: options.env})
  const mosquitto = options.broker === 'mosquitto' ? await startMosquitto(dataDir, options.tls) : undefined
  const stack: Stack = {
    dataDir,
    mosquitto,
    cli,
    async json(args, expectedCode = 0) {
      const result = await cli(...args, '--json')
      if (result.code !== expectedCode) {
        throw new Error(`gdmarket ${args.join(' ')} exited ${result.code}, expected ${expectedCode}: ${result.stderr}`)
      }
      return result.json
    },
    async logs(name) {
      const result = await cli('logs', name, '--json')
      if (result.code !== 0) throw new Error(`gdmarket logs ${name} exited ${result.code}: ${result.stderr}`)
      return result.stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line))
    },
    async pids() {
      const status = await cli('status', '--json')
      return status.code === 0 ? status.json.processes.map((p: {pid: number | null}) => p.pid).filter(Boolean) : []
    },
    async stop() {
      const pids = await stack.pids().catch(() => [])
      await cli('down').catch(() => undefined)
      // whatever is still alive after a graceful stop (a failed test may leave anything) is killed
      for (const pid of pids) {
        try {
          process.kill(pid, 'SIGKILL')
        } catch {}
      }
      await mosquitto?.stop()
      rmSync(dataDir, {recursive: true, force: true})
    },
  }
  const broker = mosquitto ? ['--broker', mosquitto.url, ...(options.tls ? ['--broker-ca-file', options.tls.caFile] : [])] : []
  const up = await cli('up', '--port', '0', '--http-port', '0', ...broker)
  if (up.code !== 0) {
    await stack.stop()
    throw new Error(`gdmarket up failed (${up.code}): ${up.stderr}`)
  }
  return stack
}

/** Retries `check` until it stops throwing or time is up; instead of sleeps. */
export async function eventually<T>(check: () => Promise<T> | T, {timeoutMs = 10_000, intervalMs = 50} = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await sleep(intervalMs)
    }
  }
}

/** Whether a process has exited (signal 0 only asks). */
export function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return false
  } catch {
    return true
  }
}

/** The stack's gateway as the CLI reaches it (its Unix socket), with keep-alive for many requests. */
export function gatewayOf(dataDir: string, timeoutMs = 5000): {gateway: GatewayClient; market: Market; close(): void} {
  const agent = new http.Agent({keepAlive: true})
  const gateway = new GatewayClient({socketPath: path.join(dataDir, 'run', 'gateway.sock')}, timeoutMs, agent)
  return {gateway, market: marketClient((method, p, body) => gateway.call(method, p, body)), close: () => agent.destroy()}
}

/**
 * Whether this process is root, which a test that mounts a disk or becomes another user needs.
 * CI runs as root, so there such a test must run: not being root fails it instead of skipping.
 */
export function isRoot(test: string): boolean {
  if (process.getuid?.() === 0) return true
  if (process.env.CI) throw new Error(`${test} needs root, as CI runs: run it as root`)
  console.warn(`${test}: skipped: it needs root`)
  return false
}

