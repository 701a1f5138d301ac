/** One line per record, time first, so logs of several daemons merge by sorting. */
export type Log = {
  info: (message: string) => void
  warn: (message: string) => void
  error: (message: string) => void
}

/**
 * A daemon's stdout is its log file. A line that cannot be written (a full disk) is lost rather
 * than a crash: the stream would report the failure as an unhandled 'error' event, and the
 * failure that matters is named to the user by the store (src/store/storageProblem.ts).
 */
function toStdout(line: string): void {
  for (const stream of [process.stdout, process.stderr]) if (stream.listenerCount('error') === 0) stream.on('error', () => {})
  process.stdout.write(line)
}

/**
 * `text`: a line of the daemon's log file under a supervisor (the logs command reads it). `json`: a
 * process run alone on its host (`service run`, `gateway run`), whose stdout journald or the
 * container runtime collects: one object a line with the fields `logs --json` gives.
 */
export type LogFormat = 'text' | 'json'

export function createLog(name: string, write: (line: string) => void = toStdout, format: LogFormat = 'text'): Log {
  const at = (level: string) => (message: string) => {
    const time = new Date().toISOString()
    write(format === 'json' ? JSON.stringify({time, level, service: name, message}) + '\n' : `${time} ${level} ${name}: ${message}\n`)
  }
  return {info: at('info'), warn: at('warn'), error: at('error')}
}
