// @ts-check
/**
 * The item service on Moleculer: register, lend and return, decided by the item service's own
 * decider (src/services/item/decide.ts). As in gdmarket, reservation decides whether a rental
 * may begin (`reservation.startRental`), then item marks the item lent.
 */
import {dayIn, machineTimeZone} from '../../../dist/calendar.js'
import {checkLendable, decideItem} from '../../../dist/services/item/decide.js'
import {evolveItem, initialItemState, publicItem} from '../../../dist/services/item/item.js'
import {refusalToClientError} from './serviceState.mjs'

/** @type {import('./serviceState.mjs').Domain<any>} */
export const domain = {name: 'item', initialState: initialItemState, evolve: evolveItem}

const itemNo = {type: 'number', integer: true, positive: true, convert: true}
/** the day it is, as gdmarket's services reckon it (the machine's time zone) */
const today = () => dayIn(machineTimeZone())

/** @param {import('./serviceState.mjs').ServiceState<any>} state */
export function itemService(state) {
  /** @param {any} ctx @param {number} no */
  const lend = async (ctx, no) => {
    const {reservationNo, correlationId} = checkLendable(state.state, no, today())
    await ctx.call('reservation.startRental', {reservationNo, itemNo: no})
    return state.execute(
      ctx,
      (s) => decideItem({type: 'lend', itemNo: no, reservationNo}, s),
      (s) => publicItem(s.items[no], today()),
      correlationId,
    )
  }
  /** @param {any} ctx @param {number} no */
  const takeBack = (ctx, no) =>
    state.execute(
      ctx,
      (s) => decideItem({type: 'return', itemNo: no, today: today()}, s),
      (s) => publicItem(s.items[no], today()),
      state.state.items[no]?.correlationId ?? undefined,
    )

  return {
    name: 'item',
    hooks: {error: {'*': refusalToClientError}},
    events: state.handlers(),
    actions: {
      register: {
        params: {itemName: {type: 'string', trim: true, empty: false, max: 200}, itemPrice: {type: 'number', integer: true, positive: true}},
        handler: (/** @type {any} */ ctx) =>
          state.execute(
            ctx,
            (s) => decideItem({type: 'register', itemName: ctx.params.itemName, itemPrice: ctx.params.itemPrice, place: null}, s),
            (s, [registered]) => publicItem(s.items[registered.data.itemNo], today()),
          ),
      },
      /** PATCH /items/{itemNo} with rentalStatus Renting (lend) or Returned (return) */
      change: {
        params: {itemNo, rentalStatus: {type: 'enum', values: ['Renting', 'Returned']}},
        handler: (/** @type {any} */ ctx) => (ctx.params.rentalStatus === 'Renting' ? lend(ctx, ctx.params.itemNo) : takeBack(ctx, ctx.params.itemNo)),
      },
    },
  }
}
