import {existsSync, mkdtempSync, rmSync} from 'node:fs'
import net from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {startProcess, type RunningProcess} from '../../src/childProcess.js'
import {eventually, runCli} from './stack.js'

/**
 * A Mosquitto 2 of a test's own (docs/deploy.md): its files written by `gdmarket broker config`
 * into a temporary folder, on a free port of 127.0.0.1, with the passwords in the stack's data dir.
 * `stop()` always ends it and removes the folder; `kill()` and `start()` are for the faults.
 */
export interface Mosquitto {
  port: number
  url: string
  /** the folder of mosquitto.conf, passwd and acl */
  dir: string
  /** the broker's own log so far (connections, refusals) */
  log(): string
  /** SIGKILL: its sessions and queued messages are gone (no persistence, as the embedded broker) */
  kill(): Promise<void>
  /** again on the same port and files */
  start(): Promise<void>
  stop(): Promise<void>
}

/** Where a program is: on the PATH, or where Debian puts Mosquitto (/usr/sbin), which a user's PATH may lack. */
const programFile = (name: string) => [`/usr/sbin/${name}`, ...(process.env.PATH ?? '').split(':').map((dir) => path.join(dir, name))].find((file) => existsSync(file))
const mosquittoBin = programFile('mosquitto')

/** Whether a program a test needs is installed: CI installs it (.ci/run), and there a missing one fails the test instead of skipping it. */
function installed(name: string, test: string): boolean {
  if (programFile(name)) return true
  if (process.env.CI) throw new Error(`${test} needs ${name}, as CI installs it (.ci/run): apt-get install ${name}`)
  console.warn(`${test}: skipped: ${name} is not installed (apt-get install ${name})`)
  return false
}

export const hasMosquitto = (test: string): boolean => installed('mosquitto', test)
/** openssl makes the throwaway CAs and certificates of the TLS test */
export const hasOpenssl = (test: string): boolean => installed('openssl', test)

/** A TLS listener (`broker config --cert-file --key-file`): the stack then uses mqtts:// and the CA that signed the certificate. */
export interface BrokerTls {
  certFile: string
  keyFile: string
}

/** A port nobody listens on now (Mosquitto 2.0 cannot be told to pick one itself). */
async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

const accepts = (port: number) =>
  new Promise<void>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => (socket.destroy(), resolve()))
    socket.once('error', reject)
  })

/** Starts Mosquitto for the stack of `dataDir` (whose broker-credentials.json it makes), with TLS when given a certificate. */
export async function startMosquitto(dataDir: string, tls?: BrokerTls): Promise<Mosquitto> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gdmarket-mosquitto-'))
  const port = await freePort()
  // as root, Mosquitto would drop to its own user, who cannot read the 0600 files of this one
  const user = process.getuid?.() === 0 ? ['--user', 'root'] : []
  const certificate = tls ? ['--cert-file', tls.certFile, '--key-file', tls.keyFile] : []
  const written = await runCli(['broker', 'config', dir, '--port', String(port), ...user, ...certificate, '--json'], {dataDir})
  if (written.code !== 0) throw new Error(`broker config failed (${written.code}): ${written.stderr}`)
  let broker: RunningProcess | undefined
  let earlier = ''
  const start = async () => {
    broker = startProcess(mosquittoBin!, ['-c', path.join(dir, 'mosquitto.conf')], {env: {PATH: process.env.PATH}})
    const died = broker.exited.then((r) => {
      throw new Error(`mosquitto exited (${r.code ?? r.signal}): ${r.stderr}`)
    })
    await Promise.race([eventually(() => accepts(port), {timeoutMs: 15_000}), died])
    died.catch(() => {})
  }
  const end = async (signal: NodeJS.Signals) => {
    if (!broker) return
    broker.kill(signal)
    await broker.stop()
    earlier += broker.stderr
    broker = undefined
  }
  await start().catch(async (error) => {
    await end('SIGKILL')
    rmSync(dir, {recursive: true, force: true})
    throw error
  })
  return {
    port,
    url: `${tls ? 'mqtts' : 'mqtt'}://127.0.0.1:${port}`,
    dir,
    log: () => earlier + (broker?.stderr ?? ''),
    kill: () => end('SIGKILL'),
    start,
    async stop() {
      await end('SIGTERM')
      rmSync(dir, {recursive: true, force: true})
    },
  }
}
