import {GdCommand} from '../cli/base.js'
import {numberArg, tableFlags} from '../cli/flags.js'
import {itemsTable} from '../cli/tables.js'
import type {Item} from '../contract/records.js'

export default class Lend extends GdCommand<typeof Lend> {
  static override description = 'Hand a reserved and paid item over to its renter'
  static override examples = ['<%= config.bin %> lend 1']
  static override args = {itemNo: numberArg('ITEMNO', 'item number')}
  static override flags = {...tableFlags}

  async run(): Promise<Item> {
    return this.show(await this.market.item.lend({itemNo: this.args.itemNo}), (i, layout) => itemsTable([i], layout))
  }
}
