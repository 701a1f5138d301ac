import {Flags} from '@oclif/core'

import {GdCommand} from '../cli/base.js'
import {numberArg, parseText, tableFlags} from '../cli/flags.js'
import {reservationsTable} from '../cli/tables.js'
import type {Reservation} from '../contract/records.js'

export default class Reserve extends GdCommand<typeof Reserve> {
  static override description = 'Reserve an item for a renter (works while the item service is down)'
  static override examples = ['<%= config.bin %> reserve 1 --customer Young', '<%= config.bin %> reserve 1 --customer Young --customer-id young01']
  static override args = {itemNo: numberArg('ITEMNO', 'item number')}
  static override flags = {
    ...tableFlags,
    customer: Flags.string({description: "renter's name (printable, at most 200 characters)", required: true, parse: parseText}),
    'customer-id': Flags.string({description: "renter's id (default: the name)", parse: parseText}),
  }

  async run(): Promise<Reservation> {
    const {customer, 'customer-id': customerId} = this.flags
    const reservation = await this.market.reservation.reserve({
      itemNo: this.args.itemNo,
      customerName: customer,
      customerId: customerId ?? customer,
    })
    return this.show(reservation, (r, layout) => reservationsTable([r], layout))
  }
}
