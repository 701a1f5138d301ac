import {GdCommand} from '../cli/base.js'
import {tableFlags} from '../cli/flags.js'
import {runningStacks, type RunningStack} from '../cli/knownStacks.js'
import {stacksTable} from '../cli/tables.js'

export default class Stacks extends GdCommand<typeof Stacks> {
  static override description = `The stacks of this user that run: their data dirs, pids and ports
The data dirs of your last \`up\`s (remembered in $XDG_STATE_HOME/gdmarket/stacks.json, else ~/.local/state/gdmarket/stacks.json) and the one this command line points at; each only while its supervisor runs, as you. Works without a running stack.`
  static override examples = ['<%= config.bin %> stacks', '<%= config.bin %> stacks --json']
  static override flags = {...tableFlags}

  async run(): Promise<RunningStack[]> {
    const stacks = runningStacks([this.dir.root])
    if (stacks.length === 0 && !this.jsonEnabled()) {
      this.note('no stack runs for you; start one with `gdmarket up`')
      return stacks
    }
    return this.show(stacks, stacksTable)
  }
}
