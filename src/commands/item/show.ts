import {GdCommand} from '../../cli/base.js'
import {numberArg, tableFlags} from '../../cli/flags.js'
import {readCommands} from '../../cli/readCommands.js'
import type {Item} from '../../contract/records.js'

export default class ItemShow extends GdCommand<typeof ItemShow> {
  static override description = 'Show one item'
  static override examples = ['<%= config.bin %> item show 1']
  static override args = {itemNo: numberArg('ITEMNO', 'item number')}
  static override flags = {...tableFlags}

  async run(): Promise<Item> {
    return this.read(readCommands['item show'])
  }
}
