import {execa} from 'execa'

/**
 * The one way this project runs a program as a child process to its end and reads what it printed:
 * the scenario runner's steps, the tests, the benchmark and scripts/samples.mjs. (Daemons are
 * forked with IPC by the supervisor and `up`: a different job.) On execa, with the project's
 * defaults: nothing inherited, nothing to read on stdin, output as printed, a non-zero exit is a
 * result and not an error, and a child still running when this process exits is killed.
 */

/** Where a child's stdout or stderr goes: kept (`pipe`), dropped, or a file descriptor (both in one file, interleaved). */
export type Output = 'pipe' | 'ignore' | number

export interface ProcessOptions {
  /** exactly this environment: nothing is inherited (vitest's NODE_ENV=test, the user's GDMARKET_*) */
  env: NodeJS.ProcessEnv
  cwd?: string
  /** stopped with `timeoutSignal` after this long; the result says timedOut */
  timeoutMs?: number
  /** SIGKILL unless told (samples stop a `--follow` with SIGINT, as a person would) */
  timeoutSignal?: NodeJS.Signals
  /** aborting stops it with SIGTERM, and its result rejects with the signal's reason */
  signal?: AbortSignal
  /** its own process group, so Ctrl-C in the terminal does not reach it */
  detached?: boolean
  stdout?: Output
  stderr?: Output
}

export interface ProcessResult {
  /** the exit code; null when a signal ended it (a timeout too) */
  code: number | null
  signal: NodeJS.Signals | null
  timedOut: boolean
  /** what it printed ('' for a stream not kept) */
  stdout: string
  stderr: string
  /** from start to exit */
  ms: number
}

export interface RunningProcess {
  readonly pid: number | undefined
  /** what it has printed so far */
  readonly stdout: string
  readonly stderr: string
  /** sends a signal (SIGTERM unless told); does nothing once it has exited */
  kill(signal?: NodeJS.Signals): void
  /** SIGKILL if still running, then waits for it: for `finally` and afterAll */
  stop(): Promise<void>
  /** settles when it has exited and its output has ended; rejects only when it could not start or was aborted */
  readonly exited: Promise<ProcessResult>
}

/** Runs `file args` to its end. */
export function runProcess(file: string, args: readonly string[], options: ProcessOptions): Promise<ProcessResult> {
  return startProcess(file, args, options).exited
}

/** Starts `file args` and hands it back running: for a test that reads its output and signals it (Ctrl-C). */
export function startProcess(file: string, args: readonly string[], options: ProcessOptions): RunningProcess {
  const {env, cwd, timeoutMs, timeoutSignal = 'SIGKILL', signal, detached = false, stdout = 'pipe', stderr = 'pipe'} = options
  const began = performance.now()
  const child = execa(file, args, {
    env,
    extendEnv: false,
    cwd,
    detached,
    // a child must never wait for a person (the wizard refuses without a terminal)
    stdin: 'ignore',
    // execa's types name only descriptors up to 9, but it hands any one descriptor to spawn as it is
    stdout: stdout as 'pipe',
    stderr: stderr as 'pipe',
    // output is collected here as it comes (tests read it while the child runs), decoded as UTF-8
    buffer: false,
    timeout: timeoutMs,
    killSignal: timeoutSignal,
    // a signal sent is the signal meant: no SIGKILL 5 s after a SIGINT the child is still handling
    forceKillAfterDelay: false,
    reject: false,
  })
  const output = {stdout: '', stderr: ''}
  for (const name of ['stdout', 'stderr'] as const) {
    child[name]?.setEncoding('utf8')
    child[name]?.on('data', (text: string) => (output[name] += text))
  }
  const onAbort = () => child.kill('SIGTERM')
  signal?.addEventListener('abort', onAbort, {once: true})
  if (signal?.aborted) onAbort()

  const exited = child.then((result): ProcessResult => {
    signal?.removeEventListener('abort', onAbort)
    if (signal?.aborted) throw signal.reason
    // failed without an exit code or a signal: it never ran (no such program, no such cwd)
    if (result.failed && result.exitCode === undefined && result.signal === undefined && !result.timedOut) throw result.cause ?? result
    return {
      code: result.exitCode ?? null,
      signal: (result.signal as NodeJS.Signals | undefined) ?? null,
      timedOut: result.timedOut,
      stdout: output.stdout,
      stderr: output.stderr,
      ms: performance.now() - began,
    }
  })
  const running = () => child.exitCode === null && child.signalCode === null
  return {
    pid: child.pid,
    get stdout() {
      return output.stdout
    },
    get stderr() {
      return output.stderr
    },
    kill: (sig = 'SIGTERM') => {
      if (running()) child.kill(sig)
    },
    stop: async () => {
      if (running()) child.kill('SIGKILL')
      await exited.catch(() => undefined)
    },
    exited,
  }
}
