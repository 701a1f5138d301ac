import {Flags} from '@oclif/core'

import {GdCommand} from '../../cli/base.js'
import {numberArg} from '../../cli/flags.js'
import type {DeletedItem} from '../../contract/records.js'

export default class ItemDelete extends GdCommand<typeof ItemDelete> {
  static override description = 'Delete an item; refused while it is reserved or lent, unless --force (then its reservation is cancelled and refunded)'
  static override examples = ['<%= config.bin %> item delete 3', '<%= config.bin %> item delete 3 --force']
  static override args = {itemNo: numberArg('ITEMNO', 'item number')}
  static override flags = {
    force: Flags.boolean({description: 'also delete a reserved (not lent) item: its reservation is cancelled and refunded'}),
  }

  async run(): Promise<DeletedItem> {
    const result = await this.market.item.delete({itemNo: this.args.itemNo, force: this.flags.force})
    return this.show(result, (r) =>
      r.reservationNo === null
        ? `Deleted item ${r.itemNo}.`
        : `Deleted item ${r.itemNo}; reservation ${r.reservationNo} is being cancelled and refunded.`,
    )
  }
}
