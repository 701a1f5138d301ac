import {chmodSync, mkdirSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {badInput} from './errors.js'

/** Everything a stack keeps under its data directory (docs/commands.md). */
export interface DataDir {
  root: string
  store: (name: string) => string
  runDir: string
  /** pid, port and socket of the running supervisor's broker */
  stackFile: string
  /** the broker's Unix socket, which gdmarket's own processes connect to */
  brokerSocket: string
  /** the HTTP gateway's Unix socket (mode 0600), which the CLI uses */
  gatewaySocket: string
  /** the broker's per-stack credentials (mode 0600), made at `up` */
  credentialsFile: string
  /** each role's password at an external broker (mode 0600), made by `gdmarket broker config` (docs/deploy.md) */
  brokerCredentialsFile: string
  /** pid of a running daemon, so a new supervisor can find one its dead predecessor left */
  pidFile: (name: string) => string
  /** what a running daemon says of itself, for `service check NAME` (src/runtime/healthFile.ts) */
  healthFile: (name: string) => string
  logsDir: string
  log: (name: string) => string
  configFile: string
}

/** The data directory: the flag, else GDMARKET_DATA_DIR (an empty one is unset), else ./data. */
export function resolveDataDir(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  // an empty flag would be the current directory: stores, logs and run/ all over it
  if (flag !== undefined && flag.trim() === '') throw badInput('--data-dir is empty; name a directory, or leave the flag out for $GDMARKET_DATA_DIR or ./data')
  return path.resolve(flag ?? (env.GDMARKET_DATA_DIR || './data'))
}

/** ` --data-dir DIR` when a plain command would not find this data directory by itself, for hints. */
export function dataDirHint(root: string, env: NodeJS.ProcessEnv = process.env): string {
  return root === resolveDataDir(undefined, env) ? '' : ` --data-dir ${shellWord(root)}`
}

/** A path as a shell reads it back, so a hint can be pasted: quoted when it has anything but plain characters. */
export const shellWord = (text: string) => (/^[\w./@%+=:,-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`)

/** Commands that read no data dir: a hint leaves them as they are. */
const dataDirFree = /^(stacks|version)\b/

/**
 * Every command named in a message (`gdmarket …` in backticks) with ` --data-dir DIR` added when
 * a plain one would not find this data dir: the services word their refusals without knowing it.
 */
export function withDataDirHints(text: string, root: string, env: NodeJS.ProcessEnv = process.env): string {
  const hint = dataDirHint(root, env)
  if (hint === '') return text
  return text.replace(/`gdmarket ([^`]*)`/g, (whole, command: string) =>
    command.includes('--data-dir') || command.endsWith('--help') || dataDirFree.test(command) ? whole : `\`gdmarket ${command}${hint}\``,
  )
}

export function dataDir(root: string): DataDir {
  const runDir = path.join(root, 'run')
  const logsDir = path.join(root, 'logs')
  return {
    root,
    store: (name) => path.join(root, `${name}.json`),
    runDir,
    stackFile: path.join(runDir, 'stack.json'),
    brokerSocket: path.join(runDir, 'broker.sock'),
    gatewaySocket: path.join(runDir, 'gateway.sock'),
    credentialsFile: path.join(runDir, 'credentials.json'),
    brokerCredentialsFile: path.join(root, 'broker-credentials.json'),
    pidFile: (name) => path.join(runDir, `${name}.pid`),
    healthFile: (name) => path.join(runDir, `${name}.health.json`),
    logsDir,
    log: (name) => path.join(logsDir, `${name}.log`),
    configFile: path.join(root, 'config.json'),
  }
}

/** A file of the build, wherever this module runs from: dist/ (compiled) or dist/bundle/cli/ (the CLI's bundle). */
export function distFile(relative: string): string {
  const here = fileURLToPath(import.meta.url)
  const marker = `${path.sep}dist${path.sep}`
  return path.join(here.slice(0, here.lastIndexOf(marker) + marker.length), relative)
}

/** The data dir and its run/ and logs/ folders hold customer data: only this user may look in (docs/guarantees.md). */
export function makePrivate(dir: DataDir): void {
  for (const folder of [dir.root, dir.runDir, dir.logsDir]) {
    mkdirSync(folder, {recursive: true, mode: 0o700})
    chmodSync(folder, 0o700)
  }
}
