import {z} from 'zod'

import type {RequestMessage} from '../../bus/rpc.js'
import {followsOf, type ServiceName} from '../../bus/topics.js'
import {unavailable} from '../../errors.js'
import {KeyedMailbox} from '../../runtime/keyedMailbox.js'
import {newCorrelationId, parseBody, type ServiceContext, type ServiceDefinition} from '../../runtime/service.js'
import {checkClaims, claimsSchema} from '../claims.js'
import {checkLendable, decideItem, findItem, reactItem, type ItemCommand} from './decide.js'
import {afterRental, evolveItem, initialItemState, publicItem, type ItemState} from './item.js'

const reservation: ServiceName = 'reservation'

// request bodies: built once (a zod schema costs far more to build than to check a body against)
const itemNo = z.object({itemNo: z.number().int().positive()})
const rentalCommand = itemNo.extend({claims: claimsSchema})
const newItem = z.object({itemName: z.string().trim().min(1), itemPrice: z.number().int().positive(), claims: claimsSchema})
const deletion = itemNo.extend({force: z.boolean().default(false)})

export const itemService: ServiceDefinition<ItemState> = {
  name: 'item',
  initialState: initialItemState,
  follows: [...followsOf.item],
  // a new item's number and facts come from this service alone
  selfContained: ['register'],
  evolve: evolveItem,
  react: reactItem,
  handlers: (ctx) => {
    const {read, execute} = ctx
    // lend, return and delete of one item, one after the other: a lend spans a call to reservation
    const perItem = new KeyedMailbox<number>()
    const askReservation = reservationAsker(ctx)
    /** decides a change of item `no` in its rental's correlation, and answers with the item (none once deleted) */
    const change = (no: number, command: ItemCommand, causationId: string, correlationId?: string | null) =>
      execute(
        (state) => ({
          events: decideItem(command, state),
          correlationId: correlationId ?? findItem(state, no).correlationId ?? newCorrelationId(),
          causationId,
        }),
        (state) => (state.items[no] ? publicItem(state.items[no]) : undefined),
      )

    return {
      async register(body, request) {
        const {itemName, itemPrice, claims} = parseBody(newItem, body)
        // a new item is Rentable and NotRenting, whatever a client says it is
        checkClaims(claims, {itemName, itemPrice, itemStatus: 'Rentable', rentalStatus: 'NotRenting', reservationNo: null})
        return execute(
          (state) => ({
            events: decideItem({type: 'register', itemName, itemPrice}, state),
            correlationId: request.correlationId ?? newCorrelationId(),
            causationId: request.id,
          }),
          (state, [registered]) => publicItem(state.items[registered.data.itemNo]),
        )
      },
      /**
       * A reserved item is deleted (--force) only once reservation ended its reservation: it
       * refuses when the rental began, also when this service restarted in between and has not
       * heard of it yet (docs/guarantees.md#one-owner-per-decision).
       */
      async delete(body, request) {
        const {itemNo: no, force} = parseBody(deletion, body)
        return perItem.run(no, async () => {
          // the rental's correlation, which the cancellation below takes from the item
          const [before, rental] = await read((state) => (decideItem({type: 'delete', itemNo: no, force}, state), [publicItem(findItem(state, no)), findItem(state, no).correlationId] as const))
          if (before.reservationNo !== null) {
            const reply = await askReservation(request, 'cancelForDelete', {reservationNo: before.reservationNo, itemNo: no}, 'deleting a reserved item')
            await ctx.applyEvents(reply.events, reservation)
          }
          await change(no, {type: 'delete', itemNo: no, force}, request.id, rental)
          return {...before, deleted: true}
        })
      },
      /** reservation decides whether the rental may begin; its RentalStarted, applied here, marks the item lent */
      async lend(body, request) {
        const {itemNo: no, claims} = parseBody(rentalCommand, body)
        return perItem.run(no, async () => {
          const reservationNo = await read((state) => (checkClaims(claims, afterRental(findItem(state, no), 'lend')), checkLendable(state, no)))
          await ctx.applyEvents((await askReservation(request, 'startRental', {reservationNo, itemNo: no}, 'lending')).events, reservation)
          return change(no, {type: 'lend', itemNo: no, reservationNo}, request.id)
        })
      },
      async return(body, request) {
        const {itemNo: no, claims} = parseBody(rentalCommand, body)
        return perItem.run(no, async () => {
          await read((state) => checkClaims(claims, afterRental(findItem(state, no), 'return')))
          return change(no, {type: 'return', itemNo: no}, request.id)
        })
      },
      list: async () => read((state) => Object.values(state.items).map(publicItem)),
      show: async (body) => read((state) => publicItem(findItem(state, parseBody(itemNo, body).itemNo))),
    }
  },
}

/**
 * The item service's requests to reservation, which owns whether a rental may begin and whether a
 * reservation may end. They carry the gateway's frontier, so reservation decides on every payment
 * acknowledged before, and leave part of the caller's time for the item's own answer.
 */
function reservationAsker(ctx: ServiceContext<ItemState>) {
  return async (request: RequestMessage, command: 'startRental' | 'cancelForDelete', body: {reservationNo: number; itemNo: number}, what: string): Promise<{events: unknown}> => {
    if (ctx.isDown(reservation)) {
      throw unavailable('SERVICE_DOWN', `the reservation service is not running, and ${what} needs it to decide about reservation ${body.reservationNo}; try again once it is back (\`gdmarket status\`)`)
    }
    const timeoutMs = Math.max(100, Math.floor((request.deadline - Date.now()) * 0.8))
    return (await ctx.call(reservation, command, body, {
      timeoutMs,
      correlationId: request.correlationId,
      after: request.after,
      onTimeout: () => unavailable('TIMEOUT', `the reservation service did not answer within ${timeoutMs} ms, and ${what} needs it; try again later`),
    })) as {events: unknown}
  }
}
