import {followsOf, type ServiceName} from '../../bus/topics.js'
import {contract} from '../../contract/index.js'
import type {PaymentReply} from '../../contract/payment.js'
import type {Reservation as PublicReservation} from '../../contract/records.js'
import {dayIn, reversedProblem, type Day} from '../../calendar.js'
import {timeZoneOf} from '../../config.js'
import {badInput, unavailable} from '../../errors.js'
import {KeyedMailbox} from '../../runtime/keyedMailbox.js'
import {newCorrelationId, type ServiceContext, type ServiceDefinition} from '../../runtime/service.js'
import {checkClaims, type Claims} from '../claims.js'
import {PaymentBreaker} from './paymentBreaker.js'
import {isOverdue} from './bookings.js'
import {
  checkCancellable,
  checkPayable,
  checkPaymentCancellable,
  decideReservation,
  findReservation,
  reactReservation,
  type ReservationCommand,
} from './decide.js'
import {
  amountOf,
  evolveReservation,
  initialReservationState,
  publicReservation,
  type Reservation,
  type ReservationState,
} from './reservation.js'

const payment: ServiceName = 'payment'

export const reservationService: ServiceDefinition<ReservationState, typeof contract.reservation> = {
  name: 'reservation',
  commands: contract.reservation,
  initialState: initialReservationState,
  follows: [...followsOf.reservation],
  evolve: evolveReservation,
  react: reactReservation,
  handlers: (ctx) => {
    const {read, execute} = ctx
    const {today, perReservation, show, checked, decide, withPayment, refund, callPayment} = reservationSteps(ctx)

    return {
      async reserve({itemNo, customerName, customerId = customerName, rentFrom, rentTo, ...claims}, request) {
        const period = periodFrom(rentFrom, rentTo)
        return execute(
          (state) => {
            const events = decideReservation({type: 'reserve', itemNo, customerName, customerId, period, today: today()}, state)
            // name and price are the item's as this service knows them; a new reservation is unpaid
            const {itemName, itemPrice} = state.items[itemNo]
            const facts = {itemNo, itemName, itemPrice, customerName, customerId, reservationStatus: 'Reserved', paymentStatus: 'NotPaid', rentalStatus: 'NotRenting'}
            checkClaims(claims, facts)
            // a rental's correlation id starts here: the trace of the request that reserved (src/stack/gateway/trace.ts), else a new one
            return {events, correlationId: request.correlationId ?? newCorrelationId(), causationId: request.id}
          },
          (state) => publicReservation(findReservation(state, state.lastReservationNo)),
        )
      },
      async pay({reservationNo: no, paymentTimeoutMs, ...claims}) {
        return perReservation.run(no, async () => {
          const r = await checked(claims, no, {paymentStatus: 'Paid'}, checkPayable)
          // paying twice answers with the payment already made: never a second charge
          if (r.paymentStatus === 'Paid' && r.paymentNo !== null) return {...publicReservation(r), payment: {...paymentOf(r, r.paymentNo), alreadyPaid: true as const}}
          return withPayment(no, await callPayment('approve', r, {itemNo: r.itemNo, amount: amountOf(r)}, paymentTimeoutMs))
        })
      },
      async cancelPayment({reservationNo: no, paymentTimeoutMs, ...claims}, request) {
        return perReservation.run(no, async () => {
          const r = await checked(claims, no, {paymentStatus: 'NotPaid'}, checkPaymentCancellable)
          return withPayment(no, await refund(r, request.id, paymentTimeoutMs))
        })
      },
      async cancel({reservationNo: no, ...claims}, request) {
        return perReservation.run(no, async () => {
          const r = await checked(claims, no, {reservationStatus: 'Cancelled', paymentStatus: 'NotPaid'}, checkCancellable)
          // compensation first: a paid reservation is refunded before it is cancelled
          if (r.paymentStatus === 'Paid') await ctx.applyEvents((await refund(r, request.id)).events, payment)
          return (await decide(no, {type: 'cancel', reservationNo: no}, request.id)).reservation
        })
      },
      /** asked by the item service before it lends: reservation decides whether the rental may begin */
      async startRental({reservationNo: no, itemNo}, request) {
        return perReservation.run(no, () => decide(no, {type: 'startRental', reservationNo: no, itemNo, today: today()}, request.id))
      },
      /** asked by the item service before it deletes a reserved item: reservation decides whether its reservation may end */
      async cancelForDelete({reservationNo: no, itemNo}, request) {
        return perReservation.run(no, () => decide(no, {type: 'cancelForDelete', reservationNo: no, itemNo}, request.id))
      },
      list: async ({overdue}) => {
        const day = today()
        return read((state) => ({
          _embedded: {reservations: Object.values(state.reservations).filter((r) => !overdue || isOverdue(r, day)).map(publicReservation)},
        }))
      },
      show: async ({reservationNo: no}) => show(no),
    }
  },
}

/** the payment a paid reservation made, as payment has it */
/** What the handlers share: the day it is, one decision at a time per reservation, and the steps that span a call to payment. */
function reservationSteps(ctx: ServiceContext<ReservationState>) {
  const {read, execute} = ctx
  const callPayment = paymentCaller(ctx)
  /** the day it is in the stack's time zone: bookings and lending are by calendar day */
  const today = () => dayIn(timeZoneOf(ctx.settings))
  // pay, refund, cancel and lend of one reservation, one after the other: they span calls to payment
  const perReservation = new KeyedMailbox<number>()
  const show = (no: number) => read((state) => publicReservation(findReservation(state, no)))
  /** the client's word is checked against the reservation as the change would leave it (docs/http-api.md#bodies-and-claims) */
  const checked = (claims: Claims, no: number, after: Partial<PublicReservation>, check: (state: ReservationState, no: number) => Reservation) =>
    read((state) => (checkClaims(claims, {...publicReservation(findReservation(state, no)), ...after}), check(state, no)))
  /** records one decision about reservation `no`, in its rental's correlation */
  const decide = (no: number, command: ReservationCommand, causationId: string) =>
    execute(
      (state) => ({events: decideReservation(command, state), correlationId: findReservation(state, no).correlationId, causationId}),
      (state, events) => ({reservation: publicReservation(findReservation(state, no)), events}),
    )
  /**
   * The reservation once a payment's events are applied here. Not waited onto this service's
   * disk: all it shows beyond that is payment's, already on payment's disk when it replied.
   */
  const withPayment = async (no: number, reply: PaymentReply) => {
    await ctx.applyEvents(reply.events, payment)
    return {...(await read((state) => publicReservation(findReservation(state, no)), {waitForDisk: false})), payment: reply.payment}
  }
  /** a refund is recorded as begun before payment is asked: from then on the rental cannot begin */
  const refund = async (r: Reservation, causationId: string, timeoutMs?: number) => {
    await decide(r.reservationNo, {type: 'requestRefund', reservationNo: r.reservationNo}, causationId)
    return callPayment('cancel', r, {}, timeoutMs)
  }
  return {today, perReservation, show, checked, decide, withPayment, refund, callPayment}
}

/** A booking's days as the client gave them: both or neither, the last not before the first. */
function periodFrom(rentFrom: Day | undefined, rentTo: Day | undefined): {from: Day; to: Day} | null {
  if (rentFrom === undefined && rentTo === undefined) return null
  if (rentFrom === undefined || rentTo === undefined) throw badInput('rentFrom and rentTo go together: the first and the last day of the booking (both included)')
  const reversed = reversedProblem(rentFrom, rentTo, {from: 'rentFrom', to: 'rentTo'})
  if (reversed) throw badInput(reversed)
  return {from: rentFrom, to: rentTo}
}

const paymentOf = (r: Reservation, paymentNo: number) => ({
  paymentNo,
  reservationNo: r.reservationNo,
  itemNo: r.itemNo,
  amount: amountOf(r),
  paymentStatus: 'Paid' as const,
})

/**
 * The synchronous call to payment: bounded by a deadline (paymentTimeoutMs, the original's Hystrix
 * timeout, or the caller's own) and guarded by the circuit breaker.
 */
function paymentCaller(ctx: ServiceContext<ReservationState>) {
  const breaker = new PaymentBreaker(
    (command, body, timeoutMs) => {
      const {reservationNo, correlationId} = body as {reservationNo: number; correlationId: string}
      return ctx.call(payment, command, body, {
        timeoutMs,
        correlationId,
        onTimeout: () =>
          unavailable(
            'PAYMENT_TIMEOUT',
            `payment system busy (no answer within ${timeoutMs} ms) for reservation ${reservationNo}; try again later (paying again is safe: never a second charge)`,
          ),
      })
    },
    ctx.settings,
    ctx.reportBreaker,
  )
  ctx.reportBreaker(breaker.summary())
  return async (command: 'approve' | 'cancel', r: Reservation, extra: object, timeoutMs?: number): Promise<PaymentReply> => {
    // stopped on purpose (`service stop payment`): say so at once rather than wait for a deadline
    if (ctx.isDown(payment)) throw paymentStopped(command, r)
    return (await breaker.call(
      command,
      {reservationNo: r.reservationNo, correlationId: r.correlationId, ...extra},
      timeoutMs ?? ctx.settings.paymentTimeoutMs,
    )) as PaymentReply
  }
}

/** Exit 5: payment was stopped. A refund was recorded before the call, so it completes once payment is back. */
const paymentStopped = (command: 'approve' | 'cancel', r: Reservation) =>
  unavailable(
    'SERVICE_DOWN',
    command === 'approve'
      ? `the payment service is stopped, so reservation ${r.reservationNo} cannot be paid now; pay again once it is started`
      : `the payment service is stopped; the refund of reservation ${r.reservationNo}'s payment is recorded and completes by itself once it is started; nothing else was changed`,
  )
