import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {readStackFile} from '../stackFile.js'
import {unavailable} from '../errors.js'
import {dataDir} from '../paths.js'
import {errorLine, type CliOutcome} from './stepCheck.js'

/** The stack a scenario file runs against, and how to let go of it afterwards. */
export interface StackLease {
  dataDir: string
  port: number
  pid: number
  /** started for this file (and stopped after it), or a running one the user pointed at */
  fresh: boolean
  release(): Promise<void>
}

export type RunCli = (args: string[]) => Promise<CliOutcome>

/**
 * A fresh stack in a temporary data directory on port 0 (docs/scenarios.md). `up` and `down` run as the
 * CLI commands themselves, so the runner starts and stops stacks exactly as people do.
 */
export async function startFreshStack(run: RunCli): Promise<StackLease> {
  const root = mkdtempSync(path.join(tmpdir(), 'gdmarket-scenario-'))
  const release = async () => {
    // `down` stops gracefully and kills what does not stop in time; only then the files go
    await run(['down', '--data-dir', root]).catch(() => undefined)
    rmSync(root, {recursive: true, force: true})
  }
  const up = await run(['up', '--port', '0', '--http-port', '0', '--json', '--data-dir', root])
  let started: {pid: number; port: number} | undefined
  try {
    started = up.code === 0 ? JSON.parse(up.stdout) : undefined
  } catch {}
  if (!started) {
    await release() // a half-started supervisor must not outlive the run
    const why = errorLine(up.stderr) || `\`gdmarket up\` exited ${up.code}`
    throw unavailable('START_FAILED', `could not start a stack for the scenario: ${why}`)
  }
  return {dataDir: root, port: started.port, pid: started.pid, fresh: true, release}
}

/** The stack already running for `root`, left running afterwards; undefined when none runs. */
export function runningStack(root: string): StackLease | undefined {
  const info = readStackFile(dataDir(root).stackFile)
  return info && {dataDir: root, port: info.port, pid: info.pid, fresh: false, release: async () => {}}
}
