import type {RequestMessage} from '../../bus/rpc.js'
import {followsOf, type ServiceName} from '../../bus/topics.js'
import {dayIn} from '../../calendar.js'
import {timeZoneOf} from '../../config.js'
import {contract, type OutputOf} from '../../contract/index.js'
import {badInput, unavailable} from '../../errors.js'
import {KeyedMailbox} from '../../runtime/keyedMailbox.js'
import {newCorrelationId, type ServiceContext, type ServiceDefinition} from '../../runtime/service.js'
import {checkClaims} from '../claims.js'
import {checkDeletable, checkLendable, decideItem, findItem, reactItem, type ItemCommand} from './decide.js'
import {afterRental, bookingsOf, evolveItem, initialItemState, publicItem, type ItemState} from './item.js'

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
    const {read} = ctx
    // lend, return and delete of one item, one after the other: a lend spans a call to reservation
    const perItem = new KeyedMailbox<number>()
    const askReservation = reservationAsker(ctx)
    const {decide, change, today} = itemChanges(ctx)

    return {
      async register({itemName, itemPrice, latitude, longitude, ...claims}, request) {
        // a new item is Rentable and NotRenting, whatever a client says it is
        checkClaims(claims, {itemName, itemPrice, itemStatus: 'Rentable', rentalStatus: 'NotRenting', reservationNo: null})
        if ((latitude === undefined) !== (longitude === undefined)) throw badInput('latitude and longitude go together: send both, or neither for an item without a place')
        const place = latitude === undefined || longitude === undefined ? null : {latitude, longitude}
        return ctx.execute(
          (state) => ({events: decideItem({type: 'register', itemName, itemPrice, place}, state), correlationId: request.correlationId ?? newCorrelationId(), causationId: request.id}),
          (state, [registered]) => publicItem(state.items[registered.data.itemNo], today()),
        )
      },
      /**
       * An item with bookings is deleted (--force) only once reservation ended each of them: it
       * refuses when a rental began, also when this service restarted in between and has not
       * heard of it yet (docs/guarantees.md#one-owner-per-decision).
       */
      async delete({itemNo: no, force = false}, request) {
        return perItem.run(no, async () => {
          // the first booking's rental is the one the delete's compensation belongs to
          const [before, booked, rental] = await read(
            (state) => [publicItem(findItem(state, no), today()), checkDeletable(state, no, force), bookingsOf(findItem(state, no))[0]?.correlationId] as const,
          )
          for (const reservationNo of booked) {
            const reply = await askReservation(request, 'cancelForDelete', {reservationNo, itemNo: no}, 'deleting a reserved item')
            await ctx.applyEvents(reply.events, reservation)
          }
          await decide(no, {type: 'delete', itemNo: no, force}, request.id, () => undefined, rental)
          return {...before, reservationNo: booked[0] ?? null, deleted: true}
        })
      },
      /** reservation decides whether the rental may begin; its RentalStarted, applied here, marks the item lent */
      async lend({itemNo: no, ...claims}, request) {
        return perItem.run(no, async () => {
          const day = today()
          // one read: the booking that covers today, and the client's word checked against the item as the lend leaves it
          const holder = await read((state) => {
            const found = checkLendable(state, no, day)
            checkClaims(claims, afterRental(findItem(state, no), 'lend', day, found.reservationNo))
            return found
          })
          await ctx.applyEvents((await askReservation(request, 'startRental', {reservationNo: holder.reservationNo, itemNo: no}, 'lending')).events, reservation)
          return change(no, {type: 'lend', itemNo: no, reservationNo: holder.reservationNo}, request.id, holder.correlationId)
        })
      },
      async return({itemNo: no, ...claims}, request) {
        return perItem.run(no, async () => {
          const day = today()
          await read((state) => checkClaims(claims, afterRental(findItem(state, no), 'return', day)))
          return change(no, {type: 'return', itemNo: no, today: day}, request.id)
        })
      },
      list: async () => {
        const day = today()
        return read((state) => ({_embedded: {items: Object.values(state.items).map((item) => publicItem(item, day))}}))
      },
      show: async ({itemNo: no}) => read((state) => publicItem(findItem(state, no), today())),
      calendar: async ({itemNo: no}) =>
        read((state) => {
          const {itemNo, itemName} = findItem(state, no)
          return {itemNo, itemName, bookings: bookingsOf(findItem(state, no)).map(({reservationNo, from, to}) => ({reservationNo, from, to}))}
        }),
    }
  },
}

/** The item service's changes, decided in a rental's correlation, and the day it is in the stack's time zone. */
function itemChanges(ctx: ServiceContext<ItemState>) {
  const today = () => dayIn(timeZoneOf(ctx.settings))
  /** decides a change of item `no` (in `correlationId`, else the rental in hand's); answers with `result` of the state after */
  const decide = <T>(no: number, command: ItemCommand, causationId: string, result: (state: ItemState) => T, correlationId?: string) =>
    ctx.execute(
      (state) => ({events: decideItem(command, state), correlationId: correlationId ?? findItem(state, no).correlationId ?? newCorrelationId(), causationId}),
      result,
    )
  /** a lend or a return: the item as it leaves it */
  const change = (no: number, command: ItemCommand, causationId: string, correlationId?: string) =>
    decide(no, command, causationId, (state) => publicItem(findItem(state, no), today()), correlationId)
  return {decide, change, today}
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
