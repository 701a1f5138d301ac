import {readFileSync, renameSync, writeFileSync} from 'node:fs'

import {z} from 'zod'

/**
 * What a daemon says of itself in run/<name>.health.json, for `service check NAME`: an exec probe
 * on the daemon's own host (docs/deploy.md#probes-and-metrics), which needs no broker password and
 * answers while the broker is down. Written when it changes and every HEARTBEAT_MS, so a stale
 * file is a process whose event loop no longer turns.
 */
export const HEARTBEAT_MS = 2000
/** a file older than this is a daemon that stopped turning: five heartbeats missed */
export const STALE_MS = 5 * HEARTBEAT_MS

export const healthFileShape = z.object({
  pid: z.number().int(),
  /** starting: loading, checking its store, catching up before its first `ready`; offline: it lost the broker */
  state: z.enum(['starting', 'online', 'offline', 'stopping']),
  caughtUp: z.boolean(),
  /** the followed sources it has not applied up to what they announced, or holds a gap of */
  behind: z.array(z.string()),
  at: z.string(),
})
export type HealthFile = z.infer<typeof healthFileShape>

export interface HealthSource {
  state(): HealthFile['state']
  behind(): string[]
}

/**
 * Keeps the file: written through a temporary name and a rename (a probe never reads half a file),
 * without fsync (a crash makes it stale, which is what it then says). A write that fails (a full
 * disk) is skipped: the store says what matters about the disk, and the next beat tries again.
 */
export function keepHealthFile(file: string, source: HealthSource): {changed(): void; stop(): void} {
  let last = ''
  const write = (force: boolean) => {
    const behind = source.behind()
    const health: HealthFile = {pid: process.pid, state: source.state(), caughtUp: behind.length === 0, behind, at: new Date().toISOString()}
    const key = `${health.state} ${behind.join()}`
    if (!force && key === last) return
    last = key
    try {
      writeFileSync(`${file}.tmp`, JSON.stringify(health) + '\n', {mode: 0o600})
      renameSync(`${file}.tmp`, file)
    } catch {}
  }
  const beat = setInterval(() => write(true), HEARTBEAT_MS).unref()
  write(true)
  return {changed: () => write(false), stop: () => clearInterval(beat)}
}

export function readHealthFile(file: string): HealthFile | undefined {
  try {
    const parsed = healthFileShape.safeParse(JSON.parse(readFileSync(file, 'utf8')))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/** The probe's verdict: undefined when it passes, else why not, in one line. */
export function healthProblem(name: string, health: HealthFile | undefined, running: (pid: number) => boolean, alive: boolean, now = Date.now()): string | undefined {
  if (!health) return `the ${name} service is not running with this data dir on this host (no run/${name}.health.json: not started yet, or stopped)`
  if (!running(health.pid)) return `the ${name} service is not running (pid ${health.pid} is gone)`
  const silentMs = now - Date.parse(health.at)
  if (silentMs > STALE_MS) return `the ${name} service (pid ${health.pid}) has not said it is alive for ${Math.round(silentMs / 1000)} s: its event loop is stuck`
  if (alive) return undefined
  if (health.state !== 'online') return `the ${name} service is ${health.state === 'offline' ? 'offline: it lost the broker and is reconnecting' : health.state}`
  if (!health.caughtUp) return `the ${name} service is catching up with ${health.behind.join(' and ')}`
  return undefined
}
