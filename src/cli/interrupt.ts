/**
 * Ctrl-C (SIGINT) and SIGTERM for a command that stops cleanly rather than dies: `load`, `events
 * --follow` and `scenario run`. The signal aborts the work's AbortSignal; further signals are
 * ignored meanwhile, so the clean-up itself is not cut short.
 */
export async function interruptible<T>(work: (signal: AbortSignal) => Promise<T>): Promise<{value: T; signal: NodeJS.Signals | undefined}> {
  const controller = new AbortController()
  let received: NodeJS.Signals | undefined
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) return
    received = signal
    controller.abort()
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  try {
    return {value: await work(controller.signal), signal: received}
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

/** The exit code a shell expects of a command ended by this signal (130 for Ctrl-C, 143 for SIGTERM). */
export const signalExitCode = (signal: NodeJS.Signals): number => (signal === 'SIGINT' ? 130 : 143)
