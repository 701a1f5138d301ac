import {Command, Flags, type Interfaces} from '@oclif/core'

import {loadSettings, type LoadedSettings, type SettingFlags} from '../config.js'
import {Exit, GdError} from '../errors.js'
import {dataDir, resolveDataDir, withDataDirHints, type DataDir} from '../paths.js'
import {GatewayClient, type Method} from './gatewayClient.js'
import {marketClient, type Market} from './market.js'
import {withNextLine} from './nextLine.js'
import {printFailure, printJson} from './output.js'
import type {ReadCommand} from './readCommands.js'
import type {Layout} from './render.js'
import {terminalWidth} from './tableFit.js'
import {loadTextWidth} from './textWidth.js'
import {usageMessage, type OclifUsageError} from './usageError.js'

export type CommandFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof GdCommand)['baseFlags'] & T['flags']>
export type CommandArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

/**
 * What every gdmarket command shares: `--data-dir` and `--json`, requests to the stack's HTTP
 * gateway, and errors rendered as one line on stderr (plus `{"error": …}` on stdout with --json)
 * with the exit codes of docs/commands.md. Commands only parse, call and render.
 */
export abstract class GdCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true
  static override baseFlags = {
    'data-dir': Flags.string({
      description: 'data directory of the stack (default: $GDMARKET_DATA_DIR, else ./data)',
      helpGroup: 'GLOBAL',
    }),
  }

  protected flags!: CommandFlags<T>
  protected args!: CommandArgs<T>
  private client: GatewayClient | undefined

  override async init(): Promise<void> {
    await super.init()
    const {args, flags} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (super.ctor as typeof GdCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    }).catch((error: Error & {oclif?: object}) => {
      // an arg's own parser (e.g. Args.integer) throws a plain Error: it is still the user's input
      throw error.oclif ? error : Object.assign(error, {oclif: {exit: Exit.badInput}})
    })
    this.flags = flags as CommandFlags<T>
    this.args = args as CommandArgs<T>
    if (!this.jsonEnabled()) await loadTextWidth() // tables measure text; --json prints none
  }

  protected get dir(): DataDir {
    return dataDir(resolveDataDir(this.flags['data-dir']))
  }

  protected settings(flags: SettingFlags = {}): LoadedSettings {
    return loadSettings(this.dir.configFile, flags)
  }

  /** The running stack's gateway (exit 5 if it is not running). */
  protected get gateway(): GatewayClient {
    this.client ??= GatewayClient.of(this.dir)
    return this.client
  }

  /** One HTTP request to the gateway: its JSON answer, or the GdError it stands for. */
  protected call<R>(method: Method, path: string, body?: unknown): Promise<R> {
    return this.gateway.call<R>(method, path, body)
  }

  /** The market's requests by name (src/cli/market.ts), shared with the wizard. */
  protected get market(): Market {
    return marketClient((method, path, body) => this.call(method, path, body))
  }

  /** People get the table; with --json oclif prints the returned value instead. */
  protected show<R>(result: R, render: (result: R, layout: Layout) => string): R {
    if (!this.jsonEnabled()) this.log(render(result, this.layout))
    return result
  }

  /** How tables fit: the terminal's width, and the command's --wide and --columns if it has them (src/cli/flags.ts). */
  protected get layout(): Layout {
    const {wide, columns} = this.flags as {wide?: boolean; columns?: string[]}
    return {width: terminalWidth(), wide: Boolean(wide), columns}
  }

  /** A read command (src/cli/readCommands.ts): its request, then its table or, with --json, its result. */
  protected async read<R>(command: ReadCommand<R>): Promise<R> {
    const arg = command.arg ? (this.args as Record<string, number>)[command.arg] : 0
    const result = await command.ask(this.market, arg)
    if (command.empty && Array.isArray(result) && result.length === 0 && !this.jsonEnabled()) {
      this.note(command.empty)
      return result
    }
    return this.show(result, command.render)
  }

  /**
   * --json: the same text as oclif's logJson, which tokenizes it to colour it and checks every
   * value for cycles (tens of ms for view's rows); oclif's own only when a theme colours JSON.
   */
  protected override logJson(json: unknown): void {
    if (this.config.theme?.json) super.logJson(json)
    else printJson(json)
  }

  /** Progress and notes for people: stderr, so stdout stays data (also with --json). */
  protected note(message: string): void {
    process.stderr.write(`${this.hinted(message)}\n`) // oclif's logToStderr is silent under --json
  }

  protected override async catch(error: OclifUsageError): Promise<void> {
    const failure = asGdError(error, this.ctor, this.id)
    if (process.env.DEBUG && failure.code === 'INTERNAL') process.stderr.write(`${error.stack}\n`)
    printFailure(new GdError(failure.code, this.hinted(withNextLine(failure.message, failure.next)), failure.exit, failure.next), this.jsonEnabled())
  }

  /** The commands a message names, for this data dir (before the flags are parsed: as they are). */
  protected hinted(message: string): string {
    try {
      return this.flags ? withDataDirHints(message, this.dir.root) : message
    } catch {
      return message // an unusable --data-dir is itself the failure being told
    }
  }

}

/** Our own errors as they are; oclif's parse errors are bad input (exit 2), in our words; anything else is a bug. */
function asGdError(error: OclifUsageError, command: typeof Command, id: string | undefined): GdError {
  if (error instanceof GdError) return error
  if (error.oclif) {
    const flags = [...Object.keys({...command.flags, ...(command as typeof GdCommand).baseFlags}), ...(command.enableJsonFlag ? ['json'] : [])]
    return new GdError('BAD_INPUT', `${usageMessage(error, {flags})} (see \`gdmarket ${(id ?? '').replaceAll(':', ' ')} --help\`)`, Exit.badInput)
  }
  return new GdError('INTERNAL', `internal error: ${error.message} (run with DEBUG=1 for details)`, 1 as never)
}
