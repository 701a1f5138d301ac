import {GdCommand} from '../../cli/base.js'
import {numberArg, tableFlags} from '../../cli/flags.js'
import {reservationsTable} from '../../cli/tables.js'
import type {Reservation} from '../../contract/records.js'

export default class ReservationCancel extends GdCommand<typeof ReservationCancel> {
  static override description = 'Cancel a reservation before lending; a paid one is refunded first'
  static override examples = ['<%= config.bin %> reservation cancel 1']
  static override args = {reservationNo: numberArg('RESNO', 'reservation number')}
  static override flags = {...tableFlags}

  async run(): Promise<Reservation> {
    const r = await this.market.reservation.cancel({reservationNo: this.args.reservationNo})
    return this.show(r, (x, layout) => reservationsTable([x], layout))
  }
}
