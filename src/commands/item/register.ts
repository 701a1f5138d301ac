import {Flags} from '@oclif/core'

import {GdCommand} from '../../cli/base.js'
import {numberFlag, parsePlaceFlag, parseText, tableFlags} from '../../cli/flags.js'
import {itemsTable} from '../../cli/tables.js'
import type {Item} from '../../contract/records.js'

export default class ItemRegister extends GdCommand<typeof ItemRegister> {
  static override description = 'Offer a new item for rent'
  static override examples = ['<%= config.bin %> item register --name Camera --price 100', '<%= config.bin %> item register --name Drill --price 8 --at 37.5665,126.978']
  static override flags = {
    name: Flags.string({description: 'what the item is (printable, at most 200 characters)', required: true, parse: parseText}),
    price: numberFlag()({description: 'rental price per day, whole currency units (> 0)', required: true}),
    at: Flags.custom<{latitude: number; longitude: number}>({parse: parsePlaceFlag})({
      description: 'where it is: LAT,LON in decimal degrees (WGS84), e.g. 37.5665,126.978; without it, it is found only without --near',
    }),
    ...tableFlags,
  }

  async run(): Promise<Item> {
    const item = await this.market.item.register({itemName: this.flags.name, itemPrice: this.flags.price, ...this.flags.at})
    return this.show(item, (i, layout) => itemsTable([i], layout))
  }
}
