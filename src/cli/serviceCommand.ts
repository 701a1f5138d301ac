import {Args} from '@oclif/core'

import {daemons} from '../bus/topics.js'
import {GdCommand} from './base.js'
import {wideFlag} from './flags.js'
import {processTable, type StackStatus} from './tables.js'

/** `service start|stop|restart NAME`: the supervisor does it and answers with every process's state. */
export abstract class ServiceCommand extends GdCommand<typeof ServiceCommand> {
  static override args = {name: Args.string({description: 'service', required: true, options: [...daemons]})}
  static override flags = {...wideFlag}
  protected abstract readonly action: 'start' | 'stop' | 'restart'

  async run(): Promise<StackStatus['processes']> {
    const {name} = this.args
    // asked first, so that a stop or start that had nothing to do says so
    const before = (await this.call<StackStatus>('GET', '/stack/status')).processes.find((p) => p.name === name)?.state
    const processes = await this.call<StackStatus['processes']>('POST', `/stack/services/${name}/${this.action}`)
    if (this.action === 'stop' && before === 'stopped') this.note(`gdmarket: ${name} was already stopped`)
    if (this.action === 'start' && before === 'online') this.note(`gdmarket: ${name} was already running`)
    return this.show(processes, processTable)
  }
}
