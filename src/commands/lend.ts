import {Args} from '@oclif/core'

import {GdCommand} from '../cli/base.js'
import {tableFlags} from '../cli/flags.js'
import {itemsTable} from '../cli/tables.js'
import type {PublicItem} from '../services/item/item.js'

export default class Lend extends GdCommand<typeof Lend> {
  static override description = 'Hand a reserved and paid item over to its renter'
  static override examples = ['<%= config.bin %> lend 1']
  static override args = {itemNo: Args.integer({description: 'item number', required: true, min: 1})}
  static override flags = {...tableFlags}

  async run(): Promise<PublicItem> {
    return this.show(await this.market.lend(this.args.itemNo), (i, layout) => itemsTable([i], layout))
  }
}
