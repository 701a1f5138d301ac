import {z} from 'zod'

import {claim, flag, itemStatus, latitude, longitude, rentalStatus, text, wholeNumber} from './fields.js'
import {calendar, collectionOf, deletedItem, item} from './records.js'
import {command} from './command.js'
import {routes} from './routes.js'

/** what a lend or a return may say of the item as it leaves it (the original's clients send these) */
const rentalClaims = {
  itemName: claim(text),
  itemPrice: claim(wholeNumber),
  itemStatus: claim(itemStatus),
  reservationNo: claim(wholeNumber),
}

/** The item service's commands: an owner's items and their handing over. */
export const itemCommands = {
  register: command({
    service: 'item',
    summary: 'Register an item (new items are Rentable and NotRenting), where it is if it has a place (latitude and longitude)',
    input: z.strictObject({
      itemName: text,
      itemPrice: wholeNumber,
      /** where it is: both or neither (the CLI's --at LAT,LON) */
      latitude: latitude.optional(),
      longitude: longitude.optional(),
      itemStatus: claim(itemStatus),
      rentalStatus: claim(rentalStatus),
      reservationNo: claim(z.null()),
    }),
    output: item,
    refusals: [],
    http: routes.item.register,
  }),
  list: command({
    service: 'item',
    summary: 'Every item',
    input: z.strictObject({}),
    output: collectionOf('items', item),
    refusals: [],
    http: routes.item.list,
  }),
  show: command({
    service: 'item',
    summary: 'One item',
    input: z.strictObject({itemNo: wholeNumber}),
    output: item,
    refusals: ['ITEM_NOT_FOUND'],
    http: routes.item.show,
  }),
  lend: command({
    service: 'item',
    summary: 'Lend (rentalStatus=Renting): only an item whose reservation is paid',
    input: z.strictObject({itemNo: wholeNumber, ...rentalClaims}),
    output: item,
    refusals: ['ITEM_NOT_FOUND', 'NOT_RESERVED', 'TOO_EARLY', 'ALREADY_LENT', 'NOT_PAID', 'REFUND_PENDING', 'ALREADY_CANCELLED', 'ALREADY_COMPLETED'],
    http: routes.item.lend,
  }),
  return: command({
    service: 'item',
    summary: 'Take back (rentalStatus=Returned): the item is Rentable again',
    input: z.strictObject({itemNo: wholeNumber, ...rentalClaims}),
    output: item,
    refusals: ['ITEM_NOT_FOUND', 'NOT_LENT'],
    http: routes.item.return,
  }),
  calendar: command({
    service: 'item',
    summary: "An item's booked periods, first first (a reservation without dates: from its day until returned)",
    input: z.strictObject({itemNo: wholeNumber}),
    output: calendar,
    refusals: ['ITEM_NOT_FOUND'],
    http: routes.item.calendar,
  }),
  delete: command({
    service: 'item',
    summary: 'Delete an item; refused while reserved or lent unless force=true (its reservation is then cancelled and refunded)',
    input: z.strictObject({itemNo: wholeNumber, force: flag.optional()}),
    output: deletedItem,
    refusals: ['ITEM_NOT_FOUND', 'ITEM_LENT', 'ITEM_RESERVED', 'ALREADY_LENT'],
    http: routes.item.delete,
  }),
}
