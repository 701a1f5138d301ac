import {GdCommand} from '../../cli/base.js'
import {numberArg, tableFlags} from '../../cli/flags.js'
import {calendarTable} from '../../cli/tables.js'
import type {Booking} from '../../contract/records.js'

export default class ItemCalendar extends GdCommand<typeof ItemCalendar> {
  static override description = "An item's booked periods, first first (a reservation without dates: from its day until returned)"
  static override examples = ['<%= config.bin %> item calendar 1']
  static override args = {itemNo: numberArg('ITEMNO', 'item number')}
  static override flags = {...tableFlags}

  async run(): Promise<{itemNo: number; itemName: string; bookings: Booking[]}> {
    const calendar = await this.market.item.calendar({itemNo: this.args.itemNo})
    if (calendar.bookings.length === 0 && !this.jsonEnabled()) {
      this.note(`item ${calendar.itemNo} (${calendar.itemName}) has no bookings: every day is free`)
      return calendar
    }
    return this.show(calendar, (c, layout) => calendarTable(c.bookings, layout))
  }
}
