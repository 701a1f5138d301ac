import {Args} from '@oclif/core'

import {daemons, MAX_VIEW_REPLICAS} from '../../bus/topics.js'
import {GdCommand} from '../../cli/base.js'
import {wideFlag} from '../../cli/flags.js'
import {processTable, type StackStatus} from '../../cli/tables.js'

/** `service scale view N`: the supervisor runs N replicas of the read side (docs/deploy.md#view-replicas). */
export default class ServiceScale extends GdCommand<typeof ServiceScale> {
  static override description = `Run N replicas of the view (the read side), 1 to ${MAX_VIEW_REPLICAS}; reads are spread over those online
Each replica builds the read model from the events into a store of its own (view-2.json…), and answers a read only once it has applied every change acknowledged before it. The writers (item, reservation, payment) stay one process each: one writer per store is what keeps one active booking per item.`
  static override examples = ['<%= config.bin %> service scale view 3', '<%= config.bin %> service scale view 1']
  static override args = {
    // every daemon is named here so that the supervisor can say why a writer does not scale
    name: Args.string({description: 'service (only the view has replicas)', required: true, options: [...daemons]}),
    replicas: Args.integer({description: `how many replicas, 1 to ${MAX_VIEW_REPLICAS}`, required: true, min: 1, max: MAX_VIEW_REPLICAS}),
  }
  static override flags = {...wideFlag}

  async run(): Promise<StackStatus['processes']> {
    const {name, replicas} = this.args
    const processes = await this.call<StackStatus['processes']>('PATCH', `/stack/services/${name}`, {replicas})
    return this.show(processes, processTable)
  }
}
