import {Flags} from '@oclif/core'

import {GdCommand} from '../cli/base.js'
import {numberArg, parseDay, parseText, tableFlags} from '../cli/flags.js'
import {reservationsTable} from '../cli/tables.js'
import type {Reservation} from '../contract/records.js'

export default class Reserve extends GdCommand<typeof Reserve> {
  static override description = 'Reserve an item for a renter (works while the item service is down)'
  static override examples = [
    '<%= config.bin %> reserve 1 --customer Young',
    '<%= config.bin %> reserve 1 --customer Young --customer-id young01',
    '<%= config.bin %> reserve 1 --customer Young --from 2026-12-10 --to 2026-12-12',
  ]
  static override args = {itemNo: numberArg('ITEMNO', 'item number')}
  static override flags = {
    ...tableFlags,
    customer: Flags.string({description: "renter's name (printable, at most 200 characters)", required: true, parse: parseText}),
    'customer-id': Flags.string({description: "renter's id (default: the name)", parse: parseText}),
    from: Flags.string({description: 'a booking for dates: its first day (YYYY-MM-DD); without dates it runs from today until returned', parse: parseDay, dependsOn: ['to']}),
    to: Flags.string({description: 'its last day, included; the price is per day', parse: parseDay, dependsOn: ['from']}),
  }

  async run(): Promise<Reservation> {
    const {customer, 'customer-id': customerId, from: rentFrom, to: rentTo} = this.flags
    const reservation = await this.market.reservation.reserve({
      itemNo: this.args.itemNo,
      customerName: customer,
      customerId: customerId ?? customer,
      rentFrom,
      rentTo,
    })
    return this.show(reservation, (r, layout) => reservationsTable([r], layout))
  }
}
