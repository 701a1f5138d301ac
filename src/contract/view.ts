import {z} from 'zod'

import {day, distance, near, text, wholeNumber} from './fields.js'
import {collectionOf, foundRow, viewRow} from './records.js'
import {command} from './command.js'

/** the radius of a search near a place when none is given (`within`), in metres */
export const DEFAULT_WITHIN_M = 5000

/** The view projector's commands: the read model, built from events only. */
export const viewCommands = {
  list: command({
    service: 'view',
    summary: 'The combined item view (CQRS read model, built from events only); the filters combine',
    input: z.strictObject({
      near: near.optional(),
      within: distance.optional(),
      q: text.optional(),
      maxPrice: wholeNumber.optional(),
      freeFrom: day.optional(),
      freeTo: day.optional(),
    }),
    output: collectionOf('itemInfoes', foundRow),
    refusals: ['NO_HOME'],
    http: [
      {
        method: 'GET',
        path: '/itemInfoes',
        query: {
          near: 'LAT,LON or home (the setting home): only items within `within` of it, nearest first, each with distanceM',
          within: `the radius around near: 500m, 2km (default ${DEFAULT_WITHIN_M / 1000}km)`,
          q: 'words in the name, in any case and with or without accents',
          maxPrice: 'only items whose price (per day) is at most this',
          freeFrom: 'with freeTo: only items with no booking in that period (YYYY-MM-DD, both days included)',
          freeTo: 'the last day of that period',
        },
      },
    ],
  }),
  show: command({
    service: 'view',
    summary: 'One row of the combined item view',
    input: z.strictObject({itemNo: wholeNumber}),
    output: viewRow,
    refusals: ['ITEM_NOT_FOUND'],
    http: [{method: 'GET', path: '/itemInfoes/{itemNo}'}],
  }),
}
