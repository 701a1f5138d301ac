import {existsSync} from 'node:fs'
import {parseArgs} from 'node:util'

import {readStackFile} from '../broker/stackFile.js'
import {marketOver} from '../cli/market.js'
import {printFailure, printJson} from '../cli/output.js'
import {readCommands, type ReadCommand, type ReadCommandName} from '../cli/readCommands.js'
import {notRunning} from '../cli/stackAccess.js'
import {DEFAULT_REQUEST_TIMEOUT_MS} from '../defaults.js'
import {GdError} from '../errors.js'
import {dataDir, resolveDataDir, type DataDir} from '../paths.js'
import {requestOnce} from './requestOnce.js'

/** A read command in its plain form, as the fast path takes it. */
export interface PlainRead {
  name: ReadCommandName
  arg: number
  json: boolean
  dataDir: string | undefined
}

/**
 * `gdmarket item show 3 [--json] [--data-dir D]` and the other read commands (src/cli/readCommands.ts)
 * in their plain form; undefined for anything else — help, other flags, an argument that is not a
 * plain positive integer, JSON asked for through the environment — which oclif then parses,
 * validates and explains.
 */
export function plainReadCommand(argv: string[], env: NodeJS.ProcessEnv = process.env): PlainRead | undefined {
  if (env.GDMARKET_NO_FAST_PATH || env.GDMARKET_CONTENT_TYPE) return undefined
  let parsed
  try {
    parsed = parseArgs({args: argv, options: {json: {type: 'boolean'}, 'data-dir': {type: 'string'}}, allowPositionals: true, strict: true})
  } catch {
    return undefined
  }
  const {positionals, values} = parsed
  // as oclif takes them: the command's words first, a flag given once
  if (values['data-dir'] === '' || argv.filter((a) => a === '--data-dir' || a.startsWith('--data-dir=')).length > 1) return undefined
  const words = positionals[0] === 'view' ? 1 : 2
  if (argv.slice(0, words).join(' ') !== positionals.slice(0, words).join(' ')) return undefined
  const name = positionals.slice(0, words).join(' ')
  if (!Object.hasOwn(readCommands, name)) return undefined
  const command: ReadCommand = readCommands[name as ReadCommandName]
  const rest = positionals.slice(words)
  if (rest.length !== (command.arg ? 1 : 0)) return undefined
  if (command.arg && !/^[1-9]\d{0,14}$/.test(rest[0])) return undefined
  return {name: name as ReadCommandName, arg: command.arg ? Number(rest[0]) : 0, json: values.json === true, dataDir: values['data-dir']}
}

/**
 * Serves a read command's plain form without oclif, mqtt.js or zod, which take most of a cold
 * command's time (see the README's performance section); returns false, having done nothing, for
 * everything else. Settings that need validating (GDMARKET_REQUEST_TIMEOUT_MS, a config.json)
 * load the settings module as the oclif path does. A failure that is not the stack's answer goes
 * back to oclif: a read has no effect, so asking again is harmless.
 */
export async function fastPath(argv: string[]): Promise<boolean> {
  const plain = plainReadCommand(argv)
  if (!plain) return false
  const command: ReadCommand = readCommands[plain.name]
  const dir = dataDir(resolveDataDir(plain.dataDir))
  try {
    const timeoutMs = await requestTimeoutMs(dir) // first, as the oclif path: a broken config.json is the news
    const stack = readStackFile(dir.stackFile)
    if (!stack) throw notRunning(dir)
    const market = marketOver((target, name, body) => requestOnce(stack, target, name, body, timeoutMs))
    const result = await command.ask(market, plain.arg)
    if (plain.json) printJson(result)
    else process.stdout.write(command.render(result) + '\n')
  } catch (error) {
    if (!(error instanceof GdError)) return false
    printFailure(error, plain.json)
  }
  return true
}

async function requestTimeoutMs(dir: DataDir): Promise<number> {
  if (!process.env.GDMARKET_REQUEST_TIMEOUT_MS && !existsSync(dir.configFile)) return DEFAULT_REQUEST_TIMEOUT_MS
  const {loadSettings} = await import('../config.js')
  return loadSettings(dir.configFile).values.requestTimeoutMs
}
