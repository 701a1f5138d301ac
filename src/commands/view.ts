import {Flags} from '@oclif/core'

import {GdCommand} from '../cli/base.js'
import {numberFlag, parseDay, parseNear, parseText, parseWithin, tableFlags} from '../cli/flags.js'
import {noItems} from '../cli/readCommands.js'
import {viewTable} from '../cli/tables.js'
import type {FoundRow} from '../contract/records.js'

export default class View extends GdCommand<typeof View> {
  static override description = `The combined item view: items with their reservation and payment, built from events only
The filters combine: --near with --within (nearest first, with how far), --search, --max-price, --free-from with --free-to.`
  static override examples = [
    '<%= config.bin %> view',
    '<%= config.bin %> view --near 37.5665,126.978 --within 2km',
    '<%= config.bin %> view --near home --search drill --max-price 10 --free-from 2026-12-10 --free-to 2026-12-12',
  ]
  static override flags = {
    ...tableFlags,
    near: Flags.string({description: 'only items within --within of LAT,LON, or of home (the setting home), nearest first', parse: parseNear}),
    within: Flags.string({description: 'the radius around --near: 500m, 2km (default 5km)', parse: parseWithin, dependsOn: ['near']}),
    search: Flags.string({description: 'words in the name, in any case, with or without accents', parse: parseText}),
    'max-price': numberFlag()({description: 'only items whose price per day is at most N'}),
    'free-from': Flags.string({description: 'with --free-to: only items with no booking in that period (YYYY-MM-DD)', parse: parseDay, dependsOn: ['free-to']}),
    'free-to': Flags.string({description: 'the last day of that period, included', parse: parseDay, dependsOn: ['free-from']}),
  }

  async run(): Promise<FoundRow[]> {
    const {near, within, search, 'max-price': maxPrice, 'free-from': freeFrom, 'free-to': freeTo} = this.flags
    const filtered = [near, search, maxPrice, freeFrom].some((f) => f !== undefined)
    const rows = (await this.market.view.list({near, within, q: search, maxPrice, freeFrom, freeTo}))._embedded.itemInfoes
    if (rows.length === 0 && !this.jsonEnabled()) {
      this.note(filtered ? 'nothing found; widen the search (a larger --within, fewer words, a higher --max-price)' : noItems)
      return rows
    }
    return this.show(rows, viewTable)
  }
}
