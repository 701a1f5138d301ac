import {lstatSync, mkdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'

import writeFileAtomic from 'write-file-atomic'

import {dataDir} from '../paths.js'
import {readStackFile} from '../stackFile.js'

/**
 * Where this user's stacks run, so that a command pointed at the wrong data dir can say where one
 * does, and `gdmarket stacks` can list them (docs/commands.md#which-stack-runs-where).
 *
 * `up` remembers its data dir in a small registry per user, `$XDG_STATE_HOME/gdmarket/stacks.json`
 * (else `~/.local/state/gdmarket/stacks.json`; the folder 0700, the file 0600); `down` forgets it.
 * It is a hint, never trusted: a registry file or folder that is not ours or that others may write
 * is ignored, and every data dir it names counts only while a live supervisor of that data dir,
 * run by this user, holds its run/stack.json. A stale entry is dropped at the next write. Two `up`s
 * at the same moment may lose one entry: the stack still runs, and its own `up` says where.
 */

/** A stack that runs, as `gdmarket stacks --json` lists it. */
export interface RunningStack {
  dataDir: string
  pid: number
  /** the broker's and the gateway's TCP ports on 127.0.0.1 */
  port: number
  httpPort: number
  startedAt: string
}

export interface Who {
  env?: NodeJS.ProcessEnv
  /** whose stacks: this process's user (a test may say another) */
  uid?: number
}

interface Entry {
  dataDir: string
  startedAt: string
}

/** more is no hint any more, and keeps a hostile file from costing much */
const MAX_ENTRIES = 32

/** The registry file of this user: $XDG_STATE_HOME (when absolute, as the XDG spec wants) or ~/.local/state. */
export function registryFile(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const state = env.XDG_STATE_HOME && path.isAbsolute(env.XDG_STATE_HOME) ? env.XDG_STATE_HOME : env.HOME ? path.join(env.HOME, '.local', 'state') : undefined
  return state && path.join(state, 'gdmarket', 'stacks.json')
}

const myUid = (who: Who) => who.uid ?? process.getuid?.()

/** A file or folder that is ours and that nobody else may write (as ssh checks a key file): else not to be believed. */
function isPrivate(file: string, uid: number | undefined, kind: 'file' | 'dir'): boolean {
  try {
    const stats = lstatSync(file)
    const right = kind === 'file' ? stats.isFile() : stats.isDirectory()
    return right && (uid === undefined || stats.uid === uid) && (stats.mode & 0o022) === 0
  } catch {
    return false
  }
}

function readEntries(who: Who): Entry[] {
  const file = registryFile(who.env)
  const uid = myUid(who)
  if (!file || !isPrivate(path.dirname(file), uid, 'dir') || !isPrivate(file, uid, 'file')) return []
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    return []
  }
  const stacks = (raw as {stacks?: unknown} | null)?.stacks
  if (!Array.isArray(stacks)) return []
  return stacks
    .filter((e): e is Entry => typeof e?.dataDir === 'string' && path.isAbsolute(e.dataDir) && typeof e.startedAt === 'string')
    .slice(-MAX_ENTRIES)
}

function writeEntries(entries: Entry[], who: Who): void {
  const file = registryFile(who.env)
  if (!file) return
  try {
    mkdirSync(path.dirname(file), {recursive: true, mode: 0o700})
    // a folder someone else could write would let them swap the file: leave it alone
    if (!isPrivate(path.dirname(file), myUid(who), 'dir')) return
    writeFileAtomic.sync(file, `${JSON.stringify({stacks: entries.slice(-MAX_ENTRIES)}, null, 2)}\n`, {mode: 0o600})
  } catch {} // a hint that cannot be written is no failure of the command that wanted to write it
}

/** Whose a file is, or undefined when it is not there. */
const ownerOf = (file: string, stat = statSync): number | undefined => {
  try {
    return stat(file).uid
  } catch {
    return undefined
  }
}

/** The stack running in `root`, when a live supervisor of it runs there as this user. */
export function runningIn(root: string, who: Who = {}): RunningStack | undefined {
  const uid = myUid(who)
  const dir = dataDir(root)
  const info = readStackFile(dir.stackFile)
  if (!info) return undefined
  if (uid !== undefined) {
    if (ownerOf(root) !== uid || ownerOf(dir.stackFile, lstatSync) !== uid) return undefined
    // the supervisor itself; without /proc (not Linux) the files' owner is what there is to ask
    const supervisor = ownerOf(`/proc/${info.pid}`)
    if (supervisor !== undefined && supervisor !== uid) return undefined
  }
  return {dataDir: root, pid: info.pid, port: info.port, httpPort: info.httpPort, startedAt: info.startedAt}
}

/** `up` started a stack in `root`: it is the newest entry; stale ones go. */
export function rememberStack(root: string, who: Who = {}): void {
  const entries = readEntries(who).filter((e) => e.dataDir !== root && runningIn(e.dataDir, who))
  writeEntries([...entries, {dataDir: root, startedAt: new Date().toISOString()}], who)
}

/** `down` stopped the stack in `root`. */
export function forgetStack(root: string, who: Who = {}): void {
  const entries = readEntries(who)
  if (entries.some((e) => e.dataDir === root)) writeEntries(entries.filter((e) => e.dataDir !== root), who)
}

/** The data dirs the registry names, the newest `up` first: believed only from a private file of this user's, not yet checked for a stack. */
export const registeredDataDirs = (who: Who = {}): string[] => readEntries(who).map((e) => e.dataDir).reverse()

/** Every stack of this user that runs, among `also` and the registry's, the newest `up` first. */
export function runningStacks(also: string[] = [], who: Who = {}): RunningStack[] {
  const roots = [...also, ...registeredDataDirs(who)]
  return [...new Set(roots)].flatMap((root) => runningIn(root, who) ?? [])
}

/** The data dirs next to `root` a person may have meant: its child folder `data`, or the parent of a `data` folder. */
const nearDataDirs = (root: string): string[] => [path.join(root, 'data'), ...(path.basename(root) === 'data' ? [path.dirname(root)] : [])]

/** The stacks that run next to `root` (its `data` folder, or the parent of a `data` folder), the registry aside. */
export const stacksNear = (root: string, who: Who = {}): RunningStack[] => nearDataDirs(root).flatMap((dir) => runningIn(dir, who) ?? [])

/**
 * Where a stack runs when none runs in `root`: a child folder `data` (`--data-dir ~/tour` for
 * ~/tour/data), the parent of a `data` folder, the folder GDMARKET_DATA_DIR names, and the data
 * dirs of the last `up`s: the places a person most likely meant, in that order.
 */
export function stacksElsewhere(root: string, who: Who = {}): RunningStack[] {
  const env = who.env ?? process.env
  const fromEnv = env.GDMARKET_DATA_DIR ? [path.resolve(env.GDMARKET_DATA_DIR)] : []
  return runningStacks([...nearDataDirs(root), ...fromEnv], who).filter((s) => s.dataDir !== root)
}
