import {setTimeout as sleep} from 'node:timers/promises'

import {isAlive, readStackFile, removeStackFile} from '../stackFile.js'
import {GdCommand} from '../cli/base.js'
import {forgetStack, stacksElsewhere} from '../cli/knownStacks.js'
import {whereStacksRun} from '../cli/stackAccess.js'

export default class Down extends GdCommand<typeof Down> {
  static override description = 'Stop the stack gracefully (in-flight requests are answered, stores flushed); fine when not running'
  static override examples = ['<%= config.bin %> down']

  async run(): Promise<{stopped: boolean; pid: number | null}> {
    const {dir} = this
    const stack = readStackFile(dir.stackFile)
    if (!stack) {
      forgetStack(dir.root)
      const elsewhere = stacksElsewhere(dir.root)
      this.note(`gdmarket is not running for ${dir.root}${elsewhere.length > 0 ? `; ${whereStacksRun(elsewhere)}` : ''}`)
      return {stopped: false, pid: null}
    }
    // asked through the gateway like every command; a gateway that does not answer gets SIGTERM
    await this.call('POST', '/stack/down').catch(() => process.kill(stack.pid, 'SIGTERM'))
    // the supervisor stops each daemon within stopTimeoutMs, then itself; SIGKILL only past that
    const bound = Date.now() + stack.stopTimeoutMs * 2 + 5000 // the stack's own setting: a broken config.json does not matter here
    while (isAlive(stack.pid) && Date.now() < bound) await sleep(50)
    if (isAlive(stack.pid)) {
      process.kill(stack.pid, 'SIGKILL')
      removeStackFile(dir.stackFile)
    }
    forgetStack(dir.root)
    this.note(`gdmarket stopped (data dir ${dir.root})`)
    return {stopped: true, pid: stack.pid}
  }
}
