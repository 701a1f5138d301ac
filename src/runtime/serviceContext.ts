import type {Requester} from '../bus/rpc.js'
import type {ServiceName} from '../bus/topics.js'
import type {Settings} from '../config.js'
import type {ServiceStore} from '../store/serviceStore.js'
import type {Log} from './log.js'
import type {Mailbox} from './mailbox.js'
import {stamp, type BreakerSummary, type ServiceContext, type ServiceDefinition} from './service.js'

export interface ContextDeps<S> {
  def: ServiceDefinition<S>
  settings: Settings
  log: Log
  store: ServiceStore<S>
  mailbox: Mailbox
  /** resolves once the broker has acknowledged this service's events up to seq */
  published(seq: number): Promise<void>
  applyEvents(events: unknown, from: ServiceName): Promise<void>
  requester: Requester
  /** whether a followed service was stopped or errored, as its liveness says */
  isDown(service: ServiceName): boolean
  reportBreaker(summary: BreakerSummary): void
  /** the store cannot be written: nothing may be acknowledged any more; the refusal to answer with */
  storeFailed(error: Error): Error
}

/**
 * What a service's handlers may do (ServiceContext): read, decide and store, call another
 * service. Every answer — a read, a refusal, a change — leaves only once what it was made from is
 * on disk: it may not show what a crash could still take back. `store.durable()` taken in the
 * mailbox is exactly the commits before it; later ones are not waited for.
 */
export function serviceContext<S>(deps: ContextDeps<S>): ServiceContext<S> {
  const {def, store, mailbox} = deps
  return {
    settings: deps.settings,
    log: deps.log,
    async read(view, {waitForDisk = true} = {}) {
      const {value, seen} = await mailbox.run(() => ({value: view(store.state), seen: waitForDisk ? store.durable() : undefined}))
      await seen
      return value
    },
    async execute(decide, result) {
      // the change is made in the mailbox, its fsync awaited outside it: commands that come
      // meanwhile are decided at once and share the next group write
      const outcome = await mailbox.run(() => {
        const seen = store.durable()
        // awaited only when the command stores nothing; otherwise its own commit reports a failed
        // write, and this one must not fail unheard (an unhandled rejection crashes the daemon
        // with exit 1 before it can say the disk is full)
        seen.catch(() => {})
        try {
          const decision = decide(store.state)
          const events = stamp(def.name as ServiceName, decision.events, decision, store.lastSeq)
          const state = events.reduce(def.evolve, store.state)
          const failed = (error: Error) => Promise.reject(deps.storeFailed(error))
          const durable = events.length > 0 ? store.commit({state, events}).catch(failed) : seen
          // with no events of its own, it was decided on what this service had already made
          return {value: result(state, events), durable, lastSeq: events.at(-1)?.seq ?? store.lastSeq}
        } catch (refusal) {
          return {refusal, durable: seen}
        }
      })
      await outcome.durable
      if ('refusal' in outcome) throw outcome.refusal
      // ...and once the broker has its events (or, for a command that changed nothing, the ones
      // it was decided on, which a saga step may have made a moment before): the gateway's
      // frontier then holds them before anyone hears of the change, even while this service restarts. (Replying once
      // they were on disk was tried: ~10 % more cycles/s, but a zero-downtime restart under load
      // let a follower read before the events were published — 2 NOT_PAID in the restart test.)
      if (outcome.lastSeq > 0) await deps.published(outcome.lastSeq)
      return outcome.value
    },
    async applyEvents(events, from) {
      const before = store.lastSeq
      await deps.applyEvents(events, from)
      // what they caused here (a saga step: item's ItemRented after RentalStarted) is at the broker
      // before the answer, so the gateway's frontier covers it when the caller hears of the change
      if (store.lastSeq > before) await deps.published(store.lastSeq)
    },
    isDown: deps.isDown,
    ownEvents: () => store.events,
    call: (target, command, body, options) => deps.requester.call(target, command, body, options),
    reportBreaker: deps.reportBreaker,
  }
}
