import {GdCommand} from '../cli/base.js'
import {numberArg, tableFlags} from '../cli/flags.js'
import {itemsTable} from '../cli/tables.js'
import type {Item} from '../contract/records.js'

export default class Return extends GdCommand<typeof Return> {
  static override description = 'Take a lent item back: the rental is completed and the item is rentable again'
  static override examples = ['<%= config.bin %> return 1']
  static override args = {itemNo: numberArg('ITEMNO', 'item number')}
  static override flags = {...tableFlags}

  async run(): Promise<Item> {
    return this.show(await this.market.item.return({itemNo: this.args.itemNo}), (i, layout) => itemsTable([i], layout))
  }
}
