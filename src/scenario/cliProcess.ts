import type {CliOutcome} from './stepCheck.js'

/**
 * Steps run as their own `gdmarket` processes, as a person or CI would run them: each gets real
 * argument parsing, its own connection, its real exit code and streams, and a step that hangs or
 * crashes cannot take the runner with it. In-process runs would be faster (start-up is ~0.25 s
 * per step, measured) but share process.stdout/stderr/exitCode, which oclif and our commands write.
 */
export interface SpawnOptions {
  env: NodeJS.ProcessEnv
  signal?: AbortSignal
  /** its own process group, so Ctrl-C in the terminal does not interrupt it (starting/stopping a stack) */
  detached?: boolean
  /** a step that waits for ever (say, `logs --follow`) is stopped after this long */
  timeoutMs?: number
}

export async function runGdmarket(entry: string, args: string[], {env, signal, detached = false, timeoutMs}: SpawnOptions): Promise<CliOutcome> {
  // execa loads only when a step runs, not for every command (scripts/bundle.mjs splits it off)
  const {runProcess} = await import('../childProcess.js')
  // its stdin is not the runner's (runProcess gives none): a step must never wait for a person
  const {code, stdout, stderr, ms} = await runProcess(process.execPath, [entry, ...args], {env, detached, signal, timeoutMs})
  return {code, stdout, stderr, ms}
}

/**
 * The environment of every step: the runner's own (so GDMARKET_* settings apply as they would to
 * any command), but not NODE_ENV (a test runner's `test` must not leak into the CLI) nor
 * GDMARKET_DATA_DIR (each step gets its stack's --data-dir).
 */
export function stepEnvironment(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const {NODE_ENV: _node, GDMARKET_DATA_DIR: _dir, ...rest} = env
  return {...rest, NO_COLOR: '1'}
}
