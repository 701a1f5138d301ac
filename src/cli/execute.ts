import {Config, flush, handle, run} from '@oclif/core'

import {badInput} from '../errors.js'
import {printFailure} from './output.js'
import {commandNames, unknownCommandMessage} from './unknownCommand.js'
import {usageMessage, type OclifUsageError} from './usageError.js'

/**
 * bin/run.js: oclif's `execute`, but the usage errors of the commands that are not ours (oclif's
 * `help`, `autocomplete`) get our one line and exit 2 too, as GdCommand gives its own
 * (docs/commands.md#refusals-and-mistakes); anything else goes to oclif's handler as before.
 */
export async function execute({dir}: {dir: string}): Promise<unknown> {
  const argv = process.argv.slice(2)
  try {
    const result = await run(argv, dir)
    flush()
    return result
  } catch (error) {
    const message = await usageLine(error as OclifUsageError, argv, dir).catch(() => undefined)
    if (message === undefined) return handle(error as Error)
    printFailure(badInput(message, 'BAD_INPUT'), argv.includes('--json'))
  }
}

/** The line for a usage error of a plugin's command, or undefined for any other failure. */
async function usageLine(error: OclifUsageError & {code?: string}, argv: string[], dir: string): Promise<string | undefined> {
  const notFound = /^Command (.+) not found\.$/.exec(error.message) // `gdmarket help frobnicate`
  // oclif's errors for the person (its parser's, a plugin's `this.error`) carry exit 2; a bug does not
  const isUsage = error.oclif?.exit === 2 && error.code !== 'EEXIT'
  if (!notFound && !isUsage) return undefined
  const config = await Config.load(dir)
  if (notFound) {
    const {names, topics} = commandNames(config)
    return unknownCommandMessage(notFound[1].split(/[: ]/), names, topics)
  }
  // the command: the longest run of leading words that is one
  const firstFlag = argv.findIndex((a) => a.startsWith('-'))
  const words = firstFlag < 0 ? argv : argv.slice(0, firstFlag)
  const id = words.map((_, n) => words.slice(0, words.length - n).join(':')).find((candidate) => config.findCommand(candidate))
  const command = id === undefined ? undefined : config.findCommand(id)
  const flags = Object.keys(command?.flags ?? {})
  return `${usageMessage(error, {flags})} (see \`gdmarket ${id ? `${id.replaceAll(':', ' ')} ` : ''}--help\`)`
}
