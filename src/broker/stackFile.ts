import {readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'

import {z} from 'zod'

/** run/stack.json: how the CLI finds a running stack (its supervisor's pid, broker port and socket). */
const stackSchema = z.object({pid: z.number().int(), port: z.number().int(), socket: z.string().optional(), startedAt: z.string()})
export type StackInfo = z.infer<typeof stackSchema>

export function writeStackFile(file: string, info: StackInfo): void {
  const tmp = `${file}.${process.pid}.tmp`
  writeFileSync(tmp, JSON.stringify(info) + '\n')
  renameSync(tmp, file)
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
  let info: StackInfo
  try {
    info = stackSchema.parse(JSON.parse(readFileSync(file, 'utf8')))
  } catch {
    return undefined
  }
  return isAlive(info.pid) ? info : undefined
}

/** A daemon's pid file: written when it starts, removed when it exits. */
export function writePidFile(file: string): void {
  writeFileSync(file, `${process.pid}\n`)
}

export function removePidFile(file: string): void {
  try {
    if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, {force: true})
  } catch {}
}

/** The pid in a daemon's pid file, if that process still runs. */
export function livePid(file: string): number | undefined {
  let pid: number
  try {
    pid = Number(readFileSync(file, 'utf8').trim())
  } catch {
    return undefined
  }
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined
}
