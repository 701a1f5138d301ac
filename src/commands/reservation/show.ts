import {GdCommand} from '../../cli/base.js'
import {numberArg, tableFlags} from '../../cli/flags.js'
import {readCommands} from '../../cli/readCommands.js'
import type {Reservation} from '../../contract/records.js'

export default class ReservationShow extends GdCommand<typeof ReservationShow> {
  static override description = 'Show one reservation'
  static override examples = ['<%= config.bin %> reservation show 1']
  static override args = {reservationNo: numberArg('RESNO', 'reservation number')}
  static override flags = {...tableFlags}

  async run(): Promise<Reservation> {
    return this.read(readCommands['reservation show'])
  }
}
