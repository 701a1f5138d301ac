/** One line per record, time first, so logs of several daemons merge by sorting. */
export type Log = {
  info: (message: string) => void
  warn: (message: string) => void
  error: (message: string) => void
}

export function createLog(name: string, write: (line: string) => void = (line) => process.stdout.write(line)): Log {
  const at = (level: string) => (message: string) => write(`${new Date().toISOString()} ${level} ${name}: ${message}\n`)
  return {info: at('info'), warn: at('warn'), error: at('error')}
}
