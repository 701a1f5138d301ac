import {GdCommand} from '../cli/base.js'
import {tableFlags} from '../cli/flags.js'
import {readCommands} from '../cli/readCommands.js'
import type {ViewRow} from '../contract/records.js'

export default class View extends GdCommand<typeof View> {
  static override description = 'The combined item view: items with their reservation and payment, built from events only'
  static override examples = ['<%= config.bin %> view', '<%= config.bin %> view --json']
  static override flags = {...tableFlags}

  async run(): Promise<ViewRow[]> {
    return this.read(readCommands['view'])
  }
}
