import {GdCommand} from '../cli/base.js'
import {viewTable} from '../cli/tables.js'
import type {ViewRow} from '../services/view/itemView.js'

export default class View extends GdCommand<typeof View> {
  static override description = 'The combined item view: items with their reservation and payment, built from events only'
  static override examples = ['<%= config.bin %> view', '<%= config.bin %> view --json']

  async run(): Promise<ViewRow[]> {
    return this.show(await this.market.view(), viewTable)
  }
}
