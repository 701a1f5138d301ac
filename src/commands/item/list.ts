import {GdCommand} from '../../cli/base.js'
import {tableFlags} from '../../cli/flags.js'
import {readCommands} from '../../cli/readCommands.js'
import type {Item} from '../../contract/records.js'

export default class ItemList extends GdCommand<typeof ItemList> {
  static override description = 'List the items the item service knows'
  static override examples = ['<%= config.bin %> item list', '<%= config.bin %> item list --json']
  static override flags = {...tableFlags}

  async run(): Promise<Item[]> {
    return this.read(readCommands['item list'])
  }
}
