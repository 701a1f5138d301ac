import type {GdError} from '../errors.js'

/** What --json prints: the same as oclif's logJson (without a JSON theme, oclif colours nothing). */
export const printJson = (value: unknown): void => void process.stdout.write(JSON.stringify(value, null, 2) + '\n')

/** A failure as docs/commands.md has it: one line on stderr, `{"error": …}` on stdout with --json, its exit code. */
export function printFailure(failure: GdError, json: boolean): void {
  if (json) printJson({error: {code: failure.code, message: failure.message, ...(failure.next ? {next: failure.next} : {})}})
  process.stderr.write(`gdmarket: ${failure.message}\n`)
  process.exitCode = failure.exit
}
