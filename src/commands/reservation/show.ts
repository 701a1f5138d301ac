import {Args} from '@oclif/core'

import {GdCommand} from '../../cli/base.js'
import {reservationsTable} from '../../cli/tables.js'
import type {PublicReservation} from '../../services/reservation/reservation.js'

export default class ReservationShow extends GdCommand<typeof ReservationShow> {
  static override description = 'Show one reservation'
  static override examples = ['<%= config.bin %> reservation show 1']
  static override args = {reservationNo: Args.integer({description: 'reservation number', required: true, min: 1})}

  async run(): Promise<PublicReservation> {
    const r = await this.market.reservation(this.args.reservationNo)
    return this.show(r, (x) => reservationsTable([x]))
  }
}
