// @ts-check
/**
 * The monolith: gdmarket's own code for everything but the messaging, called in-process — the
 * services' definitions (decide, evolve, react, follows), their ServiceStores, and the runtime's
 * EventConsumer (inbox, per-source order) — with no broker, no processes and no JSON in between.
 *
 * It does the daemons' durable work the daemons' way: a command is decided and committed in its
 * service's queue (as `ctx.execute` does in src/runtime/daemon.ts), and once its events are on
 * disk they go, instead of through the outbox relay and the broker, straight to the queue of
 * every service that follows their source, whose consumer applies and commits them. Each store
 * does one thing at a time (one queue per service, like a daemon's mailbox), so concurrent cycles
 * interleave as in the stack: what the monolith saves is exactly the messaging.
 */
import path from 'node:path'

import {EventConsumer} from '../dist/runtime/consumer.js'
import {newCorrelationId, stamp} from '../dist/runtime/service.js'
import {ServiceStore} from '../dist/store/serviceStore.js'
import {itemService} from '../dist/services/item/daemon.js'
import {dayIn, machineTimeZone} from '../dist/calendar.js'
import {checkLendable, decideItem} from '../dist/services/item/decide.js'
import {paymentService} from '../dist/services/payment/daemon.js'
import {decidePayment} from '../dist/services/payment/decide.js'
import {latestPayment} from '../dist/services/payment/payment.js'
import {reservationService} from '../dist/services/reservation/daemon.js'
import {checkPayable, decideReservation} from '../dist/services/reservation/decide.js'
import {viewProjector} from '../dist/services/view/daemon.js'
import {progress} from './progress.mjs'

/** The payment service's default limit (src/config.ts): the bench's prices are far below it. */
const PAYMENT_LIMIT = 1_000_000

/** A consumer's log: its warnings matter (they mean something went wrong), its chatter does not. */
const log = {info: () => {}, warn: (/** @type {string} */ m) => progress(`monolith: ${m}`), error: (/** @type {string} */ m) => progress(`monolith: ${m}`)}

/** One service in the monolith: its definition, its store, its queue and its consumer. */
class Part {
  /** how many tasks every part has been given so far */
  static queued = 0

  /** @param {any} def a ServiceDefinition @param {any} store a ServiceStore @param {(part: Part) => void} relay */
  constructor(def, store, relay) {
    this.def = def
    this.store = store
    /** @type {Promise<unknown>} */
    this.tail = Promise.resolve()
    this.consumer = new EventConsumer(def, store, log, () => relay(this))
    // the journal store says when more of the outbox is on disk (the relay may hand it on)
    store.onDurable = () => relay(this)
  }

  /** Runs `task` after everything queued before it (as src/runtime/mailbox.ts does). */
  /** @template T @param {() => T | Promise<T>} task @returns {Promise<T>} */
  run(task) {
    Part.queued++
    const result = this.tail.then(task)
    this.tail = result.catch(() => {})
    return result
  }
}

/**
 * @param {string} dir where the four stores go
 * @returns {Promise<import('./cycles.mjs').Rentals & {close(): Promise<void>}>}
 */
export async function openMonolith(dir) {
  /** @type {Set<Promise<unknown>>} commits on their way to disk, outside any queue */
  const writing = new Set()
  /** @type {Part[]} */
  const all = []

  /**
   * The outbox relay without a broker: hands every stored, unpublished event, in seq order, to
   * the queue of each service that follows its source. (On the store before the journal, every
   * committed event counts as stored.)
   * @param {Part} part
   */
  const relay = (part) => {
    for (const event of part.store.unpublished()) {
      part.store.markPublished(event.seq)
      for (const follower of all) {
        if (follower.def.follows.includes(event.source)) void follower.run(() => follower.consumer.apply(event))
      }
    }
  }

  for (const def of [itemService, reservationService, paymentService, viewProjector]) {
    const store = await ServiceStore.open(def.name, path.join(dir, `${def.name}.json`), def.initialState, def.evolve)
    all.push(new Part(def, store, relay))
  }
  const [item, reservation, payment] = all

  /**
   * What a daemon's `ctx.execute` does: decide, stamp, evolve and commit in the service's queue;
   * wait for the commit outside it (so commands that come meanwhile share the next write); then
   * relay the events.
   * @template T
   * @param {Part} part @param {(state: any) => {events: any[], correlationId: string}} decide
   * @param {(state: any, events: any[]) => T} result
   * @returns {Promise<T>}
   */
  const execute = async (part, decide, result) => {
    const {value, durable} = await part.run(() => {
      const {def, store} = part
      const decision = decide(store.state)
      const events = stamp(def.name, decision.events, {correlationId: decision.correlationId, causationId: null}, store.lastSeq)
      const state = events.reduce(def.evolve, store.state)
      const durable = events.length > 0 ? store.commit({state, events}) : undefined
      return {value: result(state, events), durable}
    })
    if (durable) {
      writing.add(durable)
      await durable.finally(() => writing.delete(durable))
      relay(part)
    }
    return value
  }

  /** every queue drained, every commit on disk, and no relay or saga step queued more meanwhile */
  const settled = async () => {
    for (let before = -1; before !== Part.queued || writing.size > 0; ) {
      await Promise.all(writing)
      before = Part.queued + all.length
      await Promise.all(all.map((part) => part.run(() => {})))
    }
  }

  const fresh = (/** @type {any[]} */ events) => ({events, correlationId: newCorrelationId()})
  /** the day it is, as the services reckon it (the stack's time zone is the machine's here) */
  const today = () => dayIn(machineTimeZone())
  /** lend and return join the rental's correlation id, as the item service does */
  const rental = (/** @type {{type: 'lend', itemNo: number, reservationNo: number} | {type: 'return', itemNo: number, today: string}} */ command) =>
    execute(
      item,
      (s) => ({events: decideItem(command, s), correlationId: s.items[command.itemNo]?.correlationId ?? newCorrelationId()}),
      (s) => s.items[command.itemNo],
    )
  /** as the item service does: reservation lets the rental begin (RentalStarted), then the item is marked lent */
  const lend = async (/** @type {number} */ itemNo) => {
    const {reservationNo} = await item.run(() => checkLendable(item.store.state, itemNo, today()))
    await execute(
      reservation,
      (s) => ({events: decideReservation({type: 'startRental', reservationNo, itemNo, today: today()}, s), correlationId: s.reservations[reservationNo].correlationId}),
      () => undefined,
    )
    return rental({type: 'lend', itemNo, reservationNo})
  }
  return {
    register: ({itemName, itemPrice}) =>
      execute(item, (s) => fresh(decideItem({type: 'register', itemName, itemPrice, place: null}, s)), (_s, [e]) => ({itemNo: e.data.itemNo})),
    reserve: ({itemNo, customerName, customerId}) =>
      execute(
        reservation,
        (s) => fresh(decideReservation({type: 'reserve', itemNo, customerName, customerId, period: null, today: today()}, s)),
        (s) => ({reservationNo: s.lastReservationNo}),
      ),
    async pay(reservationNo) {
      // as the reservation service does: check it is payable, have payment approve it, and answer
      // once reservation has applied the payment's events
      const r = await reservation.run(() => checkPayable(reservation.store.state, reservationNo))
      const paid = await execute(
        payment,
        (s) => ({
          events: decidePayment({type: 'approve', reservationNo, itemNo: r.itemNo, amount: r.itemPrice, limit: PAYMENT_LIMIT}, s),
          correlationId: r.correlationId,
        }),
        (s) => latestPayment(s, reservationNo),
      )
      await reservation.run(() => {})
      return paid
    },
    lend,
    takeBack: (itemNo) => rental({type: 'return', itemNo, today: today()}),
    settled,
    async close() {
      await settled()
      for (const part of all) await part.store.close?.()
    },
  }
}
