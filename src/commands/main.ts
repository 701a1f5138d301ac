/** The CLI's bundle entry (bin/run.js): oclif, every command and our oclif hooks, in one CommonJS file (dist/bundle/cli/main.cjs). */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {Config, flush, handle, run} from '@oclif/core'

import {COMMANDS} from './index.js'
import {badInput} from '../errors.js'
import {printFailure} from '../cli/output.js'
import {commandNames, unknownCommandMessage} from '../cli/unknownCommand.js'
import {usageMessage, type OclifUsageError} from '../cli/usageError.js'

export {COMMANDS} from './index.js'
export {NOT_FOUND} from '../cli/unknownCommand.js'

/**
 * bin/run.js: oclif's `execute`, but the usage errors of the commands that are not ours (oclif's
 * `help`, `autocomplete`) get our one line and exit 2 too, as GdCommand gives its own
 * (docs/commands.md#refusals-and-mistakes); anything else goes to oclif's handler as before.
 */
export async function execute({dir}: {dir: string}): Promise<unknown> {
  const argv = process.argv.slice(2)
  try {
    const result = await run(argv, await configFor(argv, dir))
    flush()
    return result
  } catch (error) {
    const message = await usageLine(error as OclifUsageError, argv, dir).catch(() => undefined)
    if (message === undefined) return handle(error as Error)
    printFailure(badInput(message, 'BAD_INPUT'), argv.includes('--json'))
  }
}

/**
 * oclif's configuration for this command line: without oclif's plugins (help, autocomplete) when
 * it names one of our commands, which none of theirs change (their manifests and package files
 * are a few ms of a command's start); with them for anything else: their commands, the CLI's
 * help, an unknown command's suggestions. `dir` is bin/run.js: the package is its folder's parent.
 */
async function configFor(argv: string[], dir: string): Promise<string | Config> {
  const [first = '', second = ''] = argv
  if (!Object.hasOwn(COMMANDS, first) && !Object.hasOwn(COMMANDS, `${first}:${second}`)) return dir
  const root = path.dirname(path.dirname(fileURLToPath(dir)))
  const pjson = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'))
  return Config.load({root, pjson: {...pjson, oclif: {...pjson.oclif, plugins: []}}})
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
