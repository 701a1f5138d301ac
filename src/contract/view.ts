import {z} from 'zod'

import {day, distance, near, text, wholeNumber} from './fields.js'
import {collectionOf, foundRow, viewRow} from './records.js'
import {command} from './command.js'
import {routes} from './routes.js'

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
    http: routes.view.list,
  }),
  show: command({
    service: 'view',
    summary: 'One row of the combined item view',
    input: z.strictObject({itemNo: wholeNumber}),
    output: viewRow,
    refusals: ['ITEM_NOT_FOUND'],
    http: routes.view.show,
  }),
}
