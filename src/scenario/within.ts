/**
 * `within: 3s` (docs/scenarios.md): a step is tried again until it passes or the time is up. The first
 * try is at once; after a failed try the runner waits a little and tries again, and there is
 * always one last try at the deadline, so a change that lands just in time still counts.
 */
export interface Clock {
  now(): number
  sleep(ms: number, signal?: AbortSignal): Promise<void>
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason)
      const timer = setTimeout(() => (signal?.removeEventListener('abort', onAbort), resolve()), ms)
      const onAbort = () => (clearTimeout(timer), reject(signal!.reason))
      signal?.addEventListener('abort', onAbort, {once: true})
    }),
}

/**
 * Pause between tries. Each try starts a gdmarket process (~0.3 s measured on 2 cores), so a short
 * pause keeps the retry loop responsive without spinning the CPU.
 */
export const RETRY_INTERVAL_MS = 100

export interface Tried<T> {
  result: T
  tries: number
  elapsedMs: number
}

export async function retryWithin<T extends {ok: boolean}>(
  attempt: () => Promise<T>,
  withinMs: number | undefined,
  {clock = realClock, intervalMs = RETRY_INTERVAL_MS, signal}: {clock?: Clock; intervalMs?: number; signal?: AbortSignal} = {},
): Promise<Tried<T>> {
  const start = clock.now()
  for (let tries = 1; ; tries++) {
    signal?.throwIfAborted()
    const result = await attempt()
    const elapsedMs = clock.now() - start
    if (result.ok || withinMs === undefined || elapsedMs >= withinMs) return {result, tries, elapsedMs}
    await clock.sleep(Math.min(intervalMs, withinMs - elapsedMs), signal)
  }
}
