import {GdCommand} from '../../cli/base.js'
import {tableFlags} from '../../cli/flags.js'
import {readCommands} from '../../cli/readCommands.js'
import type {Payment} from '../../contract/records.js'

export default class PaymentList extends GdCommand<typeof PaymentList> {
  static override description = 'List payments'
  static override examples = ['<%= config.bin %> payment list']
  static override flags = {...tableFlags}

  async run(): Promise<Payment[]> {
    return this.read(readCommands['payment list'])
  }
}
