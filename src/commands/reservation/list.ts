import {GdCommand} from '../../cli/base.js'
import {tableFlags} from '../../cli/flags.js'
import {readCommands} from '../../cli/readCommands.js'
import type {Reservation} from '../../contract/records.js'

export default class ReservationList extends GdCommand<typeof ReservationList> {
  static override description = 'List reservations'
  static override examples = ['<%= config.bin %> reservation list']
  static override flags = {...tableFlags}

  async run(): Promise<Reservation[]> {
    return this.read(readCommands['reservation list'])
  }
}
