import {Args} from '@oclif/core'

import {daemons} from '../bus/topics.js'
import {GdCommand} from './base.js'
import {processTable, type StackStatus} from './tables.js'

/** `service start|stop|restart NAME`: the supervisor does it and answers with every process's state. */
export abstract class ServiceCommand extends GdCommand<typeof ServiceCommand> {
  static override args = {name: Args.string({description: 'which service', required: true, options: [...daemons]})}
  protected abstract readonly action: 'start' | 'stop' | 'restart'

  async run(): Promise<StackStatus['processes']> {
    const processes = await this.call<StackStatus['processes']>('POST', `/stack/services/${this.args.name}/${this.action}`)
    return this.show(processes, processTable)
  }
}
