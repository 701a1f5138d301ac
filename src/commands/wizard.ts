import {Flags} from '@oclif/core'

import {GdCommand} from '../cli/base.js'
import {badInput} from '../errors.js'
import {INTERRUPTED, runWizard} from '../wizard/flow.js'
import {notInteractiveMessage, whyNotInteractive} from '../wizard/interactive.js'

export default class Wizard extends GdCommand<typeof Wizard> {
  static override description =
    'Rent, pay, cancel, register, lend, take back and delete step by step, picking from lists (needs a terminal; Ctrl-C leaves, exit 130)'
  static override examples = ['<%= config.bin %> wizard']
  // a conversation has no single record to print: scripts use the plain commands' --json
  static override enableJsonFlag = false
  static override flags = {
    'no-input': Flags.boolean({description: 'never ask anything: exit 2 and name the plain commands to use instead'}),
  }

  async run(): Promise<void> {
    const reason = whyNotInteractive({
      stdinIsTTY: Boolean(process.stdin.isTTY),
      stdoutIsTTY: Boolean(process.stdout.isTTY),
      env: process.env,
      noInput: this.flags['no-input'],
    })
    if (reason) throw badInput(notInteractiveMessage(reason), 'NOT_INTERACTIVE')
    await this.call('GET', '/healthz') // a stack that is not running fails now (exit 5), not after the first answers
    // inquirer loads only for the wizard: every other command starts faster
    const {inquirerTerminal} = await import('../wizard/inquirerTerminal.js')
    const terminal = inquirerTerminal()
    const say = terminal.say.bind(terminal)
    terminal.say = (text) => say(this.hinted(text)) // the commands it names, for this data dir
    const code = await runWizard(terminal, this.market)
    if (code === INTERRUPTED) {
      this.note('gdmarket: wizard left with Ctrl-C; the question you left was not acted on')
      process.exitCode = code
    }
  }
}
