import {GdCommand} from '../../cli/base.js'
import {tableFlags} from '../../cli/flags.js'
import {readCommands} from '../../cli/readCommands.js'
import type {PublicItem} from '../../services/item/item.js'

export default class ItemList extends GdCommand<typeof ItemList> {
  static override description = 'List the items the item service knows'
  static override examples = ['<%= config.bin %> item list', '<%= config.bin %> item list --json']
  static override flags = {...tableFlags}

  async run(): Promise<PublicItem[]> {
    return this.read(readCommands['item list'])
  }
}
