import {Args} from '@oclif/core'

import {GdCommand} from '../../cli/base.js'
import {itemsTable} from '../../cli/tables.js'
import type {PublicItem} from '../../services/item/item.js'

export default class ItemShow extends GdCommand<typeof ItemShow> {
  static override description = 'Show one item'
  static override examples = ['<%= config.bin %> item show 1']
  static override args = {itemNo: Args.integer({description: 'item number', required: true, min: 1})}

  async run(): Promise<PublicItem> {
    return this.show(await this.market.item(this.args.itemNo), (i) => itemsTable([i]))
  }
}
