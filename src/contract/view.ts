import {z} from 'zod'

import {wholeNumber} from './fields.js'
import {collectionOf, viewRow} from './records.js'
import {command} from './command.js'

/** The view projector's commands: the read model, built from events only. */
export const viewCommands = {
  list: command({
    service: 'view',
    summary: 'The combined item view (CQRS read model, built from events only)',
    input: z.strictObject({}),
    output: collectionOf('itemInfoes', viewRow),
    refusals: [],
    http: [{method: 'GET', path: '/itemInfoes'}],
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
