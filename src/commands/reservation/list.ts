import {Flags} from '@oclif/core'

import {GdCommand} from '../../cli/base.js'
import {tableFlags} from '../../cli/flags.js'
import {readCommands} from '../../cli/readCommands.js'
import {reservationsTable} from '../../cli/tables.js'
import type {Reservation} from '../../contract/records.js'

export default class ReservationList extends GdCommand<typeof ReservationList> {
  static override description = 'List reservations'
  static override examples = ['<%= config.bin %> reservation list', '<%= config.bin %> reservation list --overdue']
  static override flags = {...tableFlags, overdue: Flags.boolean({description: 'only the rentals still out after their last day'})}

  async run(): Promise<Reservation[]> {
    if (!this.flags.overdue) return this.read(readCommands['reservation list'])
    const overdue = (await this.market.reservation.list({overdue: true}))._embedded.reservations
    if (overdue.length === 0 && !this.jsonEnabled()) this.note('no rental is overdue')
    else this.show(overdue, reservationsTable)
    return overdue
  }
}
