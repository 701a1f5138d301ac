import type {RequestMessage} from '../../bus/rpc.js'
import {followsOf, type ServiceName} from '../../bus/topics.js'
import {contract, type OutputOf} from '../../contract/index.js'
import {badInput, unavailable} from '../../errors.js'
import {KeyedMailbox} from '../../runtime/keyedMailbox.js'
import {newCorrelationId, type ServiceContext, type ServiceDefinition} from '../../runtime/service.js'
import {checkClaims} from '../claims.js'
import {checkLendable, decideItem, findItem, reactItem, type ItemCommand} from './decide.js'
import {afterRental, evolveItem, initialItemState, publicItem, type ItemState} from './item.js'

const reservation: ServiceName = 'reservation'

export const itemService: ServiceDefinition<ItemState, typeof contract.item> = {
  name: 'item',
  commands: contract.item,
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
    /** decides a change of item `no` in its rental's correlation; answers with `result` of the state after */
    const decide = <T>(no: number, command: ItemCommand, causationId: string, result: (state: ItemState) => T, correlationId?: string | null) =>
      execute(
        (state) => ({
          events: decideItem(command, state),
          correlationId: correlationId ?? findItem(state, no).correlationId ?? newCorrelationId(),
          causationId,
        }),
        result,
      )
    /** a lend or a return: the item as it leaves it */
    const change = (no: number, command: ItemCommand, causationId: string) => decide(no, command, causationId, (state) => publicItem(findItem(state, no)))

    return {
      async register({itemName, itemPrice, latitude, longitude, ...claims}, request) {
        // a new item is Rentable and NotRenting, whatever a client says it is
        checkClaims(claims, {itemName, itemPrice, itemStatus: 'Rentable', rentalStatus: 'NotRenting', reservationNo: null})
        if ((latitude === undefined) !== (longitude === undefined)) throw badInput('latitude and longitude go together: send both, or neither for an item without a place')
        const place = latitude === undefined || longitude === undefined ? null : {latitude, longitude}
        return execute(
          (state) => ({
            events: decideItem({type: 'register', itemName, itemPrice, place}, state),
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
      async delete({itemNo: no, force = false}, request) {
        return perItem.run(no, async () => {
          // the rental's correlation, which the cancellation below takes from the item
          const [before, rental] = await read((state) => (decideItem({type: 'delete', itemNo: no, force}, state), [publicItem(findItem(state, no)), findItem(state, no).correlationId] as const))
          if (before.reservationNo !== null) {
            const reply = await askReservation(request, 'cancelForDelete', {reservationNo: before.reservationNo, itemNo: no}, 'deleting a reserved item')
            await ctx.applyEvents(reply.events, reservation)
          }
          await decide(no, {type: 'delete', itemNo: no, force}, request.id, () => undefined, rental)
          return {...before, deleted: true}
        })
      },
      /** reservation decides whether the rental may begin; its RentalStarted, applied here, marks the item lent */
      async lend({itemNo: no, ...claims}, request) {
        return perItem.run(no, async () => {
          const reservationNo = await read((state) => (checkClaims(claims, afterRental(findItem(state, no), 'lend')), checkLendable(state, no)))
          await ctx.applyEvents((await askReservation(request, 'startRental', {reservationNo, itemNo: no}, 'lending')).events, reservation)
          return change(no, {type: 'lend', itemNo: no, reservationNo}, request.id)
        })
      },
      async return({itemNo: no, ...claims}, request) {
        return perItem.run(no, async () => {
          await read((state) => checkClaims(claims, afterRental(findItem(state, no), 'return')))
          return change(no, {type: 'return', itemNo: no}, request.id)
        })
      },
      list: async () => read((state) => ({_embedded: {items: Object.values(state.items).map(publicItem)}})),
      show: async ({itemNo: no}) => read((state) => publicItem(findItem(state, no))),
    }
  },
}

/**
 * The item service's requests to reservation, which owns whether a rental may begin and whether a
 * reservation may end. They carry the gateway's frontier, so reservation decides on every payment
 * acknowledged before, and leave part of the caller's time for the item's own answer.
 */
function reservationAsker(ctx: ServiceContext<ItemState>) {
  return async (
    request: RequestMessage,
    command: 'startRental' | 'cancelForDelete',
    body: {reservationNo: number; itemNo: number},
    what: string,
  ): Promise<OutputOf<typeof contract.reservation.startRental>> => {
    if (ctx.isDown(reservation)) {
      throw unavailable('SERVICE_DOWN', `the reservation service is not running, and ${what} needs it to decide about reservation ${body.reservationNo}; try again once it is back`, {command: 'status'})
    }
    const timeoutMs = Math.max(100, Math.floor((request.deadline - Date.now()) * 0.8))
    return (await ctx.call(reservation, command, body, {
      timeoutMs,
      correlationId: request.correlationId,
      after: request.after,
      onTimeout: () => unavailable('TIMEOUT', `the reservation service did not answer within ${timeoutMs} ms, and ${what} needs it; try again later`),
    })) as OutputOf<typeof contract.reservation.startRental>
  }
}
