import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import writeFileAtomic from 'write-file-atomic'

/** run/stack.json: how the CLI finds a running stack (its supervisor's pid, the broker's and the gateway's addresses). */
export interface StackInfo {
  pid: number
  /** the broker: TCP port on 127.0.0.1, and its Unix socket */
  port: number
  socket?: string
  /** the HTTP gateway: TCP port on 127.0.0.1, and its Unix socket (the CLI's door) */
  httpPort: number
  httpSocket?: string
  /** the settings it runs with that a client needs: how long the gateway waits, how long a stop may take */
  requestTimeoutMs: number
  stopTimeoutMs: number
  startedAt: string
}

/** Checked by hand: every command reads this file, and zod costs start-up time. */
function asStackInfo(raw: unknown): StackInfo | undefined {
  const info = raw as Partial<StackInfo> | null
  const ok =
    typeof info === 'object' &&
    info !== null &&
    Number.isInteger(info.pid) &&
    Number.isInteger(info.port) &&
    (info.socket === undefined || typeof info.socket === 'string') &&
    Number.isInteger(info.httpPort) &&
    Number.isInteger(info.requestTimeoutMs) &&
    Number.isInteger(info.stopTimeoutMs) &&
    (info.httpSocket === undefined || typeof info.httpSocket === 'string') &&
    typeof info.startedAt === 'string'
  return ok ? (info as StackInfo) : undefined
}

/** Whole or not at all (write-file-atomic), as every file gdmarket writes: a reader never sees half of it. */
export function writeStackFile(file: string, info: StackInfo): void {
  writeFileAtomic.sync(file, JSON.stringify(info) + '\n', {mode: 0o600})
}

export function removeStackFile(file: string): void {
  rmSync(file, {force: true})
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The running stack, or undefined when none runs (a file left by a killed supervisor counts as none). */
export function readStackFile(file: string): StackInfo | undefined {
  let info: StackInfo | undefined
  try {
    info = asStackInfo(JSON.parse(readFileSync(file, 'utf8')))
  } catch {
    return undefined
  }
  return info && isAlive(info.pid) && isSupervisor(info.pid, path.dirname(path.dirname(file))) ? info : undefined
}

/**
 * The detached supervisor of this data dir, `gdmarket up --foreground` (which runs it in the CLI's
 * process), or `gdmarket gateway run` (the gateway alone on its host, docs/deploy.md).
 */
function isSupervisor(pid: number, root: string): boolean {
  if (isOurs(pid, root, 'stack/main.js')) return true
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
    return (args.includes('up') && args.includes('--foreground')) || (args.includes('gateway') && args.includes('run'))
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' && isAlive(pid)
  }
}

/** A daemon's pid file: written when it starts, removed when it exits. */
export function writePidFile(file: string): void {
  writeFileSync(file, `${process.pid}\n`, {mode: 0o600})
}

export function removePidFile(file: string): void {
  try {
    if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, {force: true})
  } catch {}
}

/**
 * Whether `pid` is a gdmarket process of this data dir, by its command line: a pid file can be
 * stale and its number given to a stranger, who must never be waited for or killed. Where there is
 * no /proc to ask, a live pid is taken at its word.
 */
export function isOurs(pid: number, root: string, entry: string): boolean {
  let args: string[]
  try {
    args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ENOENT' ? isAlive(pid) : false
  }
  return args.some((a) => a.endsWith(entry)) && args.includes(root)
}

/** The pid in a daemon's pid file, if that process still runs as that daemon of this data dir; a stale file is removed. */
export function livePid(file: string, root: string, entry: string): number | undefined {
  let pid: number
  try {
    pid = Number(readFileSync(file, 'utf8').trim())
  } catch {
    return undefined
  }
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid) && isOurs(pid, root, entry)) return pid
  rmSync(file, {force: true})
  return undefined
}
