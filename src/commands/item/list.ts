import {GdCommand} from '../../cli/base.js'
import {itemsTable} from '../../cli/tables.js'
import type {PublicItem} from '../../services/item/item.js'

export default class ItemList extends GdCommand<typeof ItemList> {
  static override description = 'List the items the item service knows'
  static override examples = ['<%= config.bin %> item list', '<%= config.bin %> item list --json']

  async run(): Promise<PublicItem[]> {
    return this.show(await this.market.items(), itemsTable)
  }
}
