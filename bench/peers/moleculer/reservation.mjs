// @ts-check
/**
 * The reservation service on Moleculer: reserve, pay (a call to payment with gdmarket's payment
 * deadline, behind Moleculer's circuit breaker) and startRental (asked by item before a lend),
 * decided by the reservation service's own decider (src/services/reservation/decide.ts).
 */
import {dayIn, machineTimeZone} from '../../../dist/calendar.js'
import {checkPayable, decideReservation} from '../../../dist/services/reservation/decide.js'
import {evolveReservation, initialReservationState, publicReservation} from '../../../dist/services/reservation/reservation.js'
import {refusalToClientError} from './serviceState.mjs'


/** the day it is, as gdmarket's services reckon it (the machine's time zone) */
const today = () => dayIn(machineTimeZone())
/** @type {import('./serviceState.mjs').Domain<any>} */
export const domain = {name: 'reservation', initialState: initialReservationState, evolve: evolveReservation}

/** gdmarket's paymentTimeoutMs default (src/config.ts): the original's Hystrix timeout */
const PAYMENT_TIMEOUT_MS = 610

const positive = {type: 'number', integer: true, positive: true, convert: true}
const name = {type: 'string', trim: true, empty: false, max: 200}

/** @param {import('./serviceState.mjs').ServiceState<any>} state */
export function reservationService(state) {
  const reservationOf = (/** @type {number} */ no) => publicReservation(state.state.reservations[no])
  /** @param {any} ctx @param {number} no */
  const pay = async (ctx, no) => {
    const r = checkPayable(state.state, no)
    const paid = await ctx.call(
      'payment.approve',
      {reservationNo: no, itemNo: r.itemNo, amount: r.itemPrice, correlationId: r.correlationId},
      {timeout: PAYMENT_TIMEOUT_MS},
    )
    // payment's event comes as an event too (reservation follows payment), usually before the
    // answer; if the answer comes first, its copy is applied now, as a handler that checks the
    // state would (payment has it on disk already)
    if (state.state.reservations[no].paymentNo !== paid.payment.paymentNo) for (const event of paid.events) state.apply(event)
    return {reservation: reservationOf(no), payment: paid.payment}
  }

  return {
    name: 'reservation',
    hooks: {error: {'*': refusalToClientError}},
    events: state.handlers(),
    actions: {
      reserve: {
        params: {itemNo: positive, customerName: name, customerId: name},
        handler: (/** @type {any} */ ctx) =>
          state.execute(
            ctx,
            (s) => decideReservation({type: 'reserve', itemNo: ctx.params.itemNo, customerName: ctx.params.customerName, customerId: ctx.params.customerId, period: null, today: today()}, s),
            (s) => publicReservation(s.reservations[s.lastReservationNo]),
          ),
      },
      /** PATCH /reservations/{reservationNo} with paymentStatus Paid (the cycle's only change of a reservation) */
      change: {
        params: {reservationNo: positive, paymentStatus: {type: 'enum', values: ['Paid']}},
        handler: (/** @type {any} */ ctx) => pay(ctx, ctx.params.reservationNo),
      },
      /** asked by item before it lends: reservation decides whether the rental may begin */
      startRental: {
        params: {reservationNo: positive, itemNo: positive},
        handler: (/** @type {any} */ ctx) => {
          const {reservationNo: no, itemNo} = ctx.params
          return state.execute(
            ctx,
            (s) => decideReservation({type: 'startRental', reservationNo: no, itemNo, today: today()}, s),
            () => ({reservation: reservationOf(no)}),
            state.state.reservations[no]?.correlationId,
          )
        },
      },
    },
  }
}
