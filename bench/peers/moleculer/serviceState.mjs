// @ts-check
/**
 * One Moleculer service's state, kept as gdmarket's daemons keep theirs — a ServiceStore
 * (src/store/serviceStore.ts) evolved by the domain's own `evolve` — and changed the way a
 * Moleculer service changes its database: decide, write, await the write, then `ctx.emit` the
 * events and answer. What it leaves out is what gdmarket adds (docs/performance.md, the peer):
 * no outbox relay (an event is emitted once, fire-and-forget, never again after a crash or while
 * its subscribers are down), no inbox (an event is applied as it comes: no order per source, no
 * dedupe, no catch-up), no read-your-writes frontier.
 */
import path from 'node:path'

import Moleculer from 'moleculer'

import {eventSource, eventTypes} from '../../../dist/bus/eventTypes.js'
import {followsOf} from '../../../dist/bus/topics.js'
import {newCorrelationId, stamp} from '../../../dist/runtime/service.js'
import {ServiceStore} from '../../../dist/store/serviceStore.js'

/** HTTP status of each of gdmarket's exit codes (docs/http-api.md), for moleculer-web to answer with. */
const statusOfExit = /** @type {Record<number, number>} */ ({2: 400, 3: 409, 4: 404, 5: 503})

/**
 * @template S
 * @typedef {object} Domain
 * @property {string} name the source of its events (item, reservation, payment, view)
 * @property {() => S} initialState
 * @property {(state: S, event: any) => S} evolve
 */

/** @template S */
export class ServiceState {
  /** @param {Domain<S>} domain @param {any} store a ServiceStore */
  constructor(domain, store) {
    this.domain = domain
    this.store = store
    /** events this service emitted, by Moleculer event name: the bench's settle point counts them */
    /** @type {Record<string, number>} */
    this.emitted = {}
    /** events delivered here and applied, by Moleculer event name */
    /** @type {Record<string, number>} */
    this.received = {}
    /** the Moleculer events it subscribes to: every event of the services it follows, as in gdmarket */
    this.listensTo = followedEvents(domain.name)
  }

  /** @template S @param {Domain<S>} domain @param {string} dir */
  static async open(domain, dir) {
    const store = await ServiceStore.open(domain.name, path.join(dir, `${domain.name}.json`), domain.initialState, domain.evolve)
    return new ServiceState(domain, store)
  }

  /** @returns {S} */
  get state() {
    return this.store.state
  }

  /**
   * Decides against the current state, stores the new state with its events, and once they are
   * on disk emits them (not awaited: Moleculer's events are fire-and-forget) and resolves with
   * `result(state)`. Deciding and committing are one synchronous step, so nothing interleaves.
   * @template T
   * @param {any} ctx the Moleculer context of the action
   * @param {(state: S) => any[]} decide domain events, or a GdError thrown
   * @param {(state: S, events: any[]) => T} result
   * @param {string} [correlationId]
   * @returns {Promise<T>}
   */
  async execute(ctx, decide, result, correlationId = newCorrelationId()) {
    const {domain, store} = this
    const events = stamp(domain.name, decide(store.state), {correlationId, causationId: ctx.id}, store.lastSeq)
    const state = events.reduce(domain.evolve, store.state)
    const value = result(state, events)
    if (events.length > 0) {
      await store.commit({state, events})
      for (const event of events) this.emit(ctx, event)
    }
    return value
  }

  /** @param {any} ctx @param {any} event an envelope */
  emit(ctx, event) {
    const name = `${event.source}.${event.type}`
    this.emitted[name] = (this.emitted[name] ?? 0) + 1
    ctx.emit(name, event).catch((/** @type {Error} */ error) => ctx.service.logger.warn(`emitting ${name} failed: ${error.message}`))
  }

  /**
   * Applies an event from another service as it comes, and writes it (not awaited: nothing waits
   * for it). The store records it as applied, which is what lets its journal be replayed; nothing
   * here consults that record: an event that comes twice is applied twice.
   * @param {any} event an envelope
   */
  apply(event) {
    const state = this.domain.evolve(this.store.state, event)
    this.store.commit({state, incoming: event}).catch((/** @type {Error} */ error) => console.error(`${this.domain.name}: a write failed: ${error.message}`))
  }

  /** Moleculer event handlers that apply every event it subscribes to, counted for the settle point. */
  handlers() {
    return Object.fromEntries(
      this.listensTo.map((name) => [
        name,
        (/** @type {any} */ ctx) => {
          this.apply(ctx.params)
          this.received[name] = (this.received[name] ?? 0) + 1
        },
      ]),
    )
  }

  /** What the bench's settle point asks: counts, once every write so far is on disk. */
  async progress() {
    await this.store.durable()
    return {emitted: this.emitted, received: this.received}
  }

  close() {
    return this.store.close()
  }
}

/**
 * The events a service follows, as Moleculer event names (`<source>.<Type>`): every event of the
 * services it follows in gdmarket (src/bus/topics.ts), so each store applies the same events as
 * gdmarket's (and its inbox record, kept by the store, has no gaps).
 * @param {string} name
 * @returns {string[]}
 */
export function followedEvents(name) {
  const sources = /** @type {Record<string, readonly string[]>} */ (followsOf)[name] ?? []
  const sourceOf = /** @type {Record<string, string>} */ (eventSource)
  return eventTypes.filter((type) => sources.includes(sourceOf[type])).map((type) => `${sourceOf[type]}.${type}`)
}

/**
 * An action hook that turns the domain's refusals (GdError: a code and an exit code) into
 * Moleculer's client errors, which carry an HTTP status across the transporter to moleculer-web.
 * @param {any} _ctx @param {any} error
 */
export function refusalToClientError(_ctx, error) {
  if (error?.name === 'GdError') throw new Moleculer.Errors.MoleculerClientError(error.message, statusOfExit[error.exit] ?? 500, error.code)
  throw error
}
