import type {Requester, Publish} from '../bus/rpc.js'
import {topics} from '../bus/topics.js'
import type {GdError} from '../errors.js'
import {unavailable} from '../errors.js'
import type {ServiceStore} from '../store/serviceStore.js'
import {CausalBarrier} from './barrier.js'
import {EventConsumer} from './consumer.js'
import type {Counters} from './counters.js'
import {EventPipeline} from './eventPipeline.js'
import {LivenessWatch} from './livenessWatch.js'
import type {Log} from './log.js'
import {Mailbox} from './mailbox.js'
import {OutboxRelay} from './relay.js'
import {Repair} from './repair.js'
import {RequestServer} from './requestServer.js'
import type {ServiceDefinition} from './service.js'

/** Requests every daemon answers, besides its service's own. */
const runtimeCommands = new Set(['history', 'seen', 'witness', 'health'])

export interface CoreDeps<S> {
  def: ServiceDefinition<S>
  /** the process's own name: its liveness is on it (a view replica's, `view-2`) */
  name: string
  store: ServiceStore<S>
  log: Log
  /** publishes over the daemon's broker connection */
  publish: Publish
  requester: Requester
  counters: Counters
  /** the store failed: the refusal every caller gets from then on */
  storeFailed(error: Error): GdError
  refusal(): GdError | undefined
  sayOnline(): void
  stopping(): boolean
}

/**
 * A service's core: its store with the parts that keep it (docs/architecture.md#each-service):
 * one mailbox for every read and change, the inbox and order of incoming events, the frontier
 * wait, the request server, the outbox relay, and the repair of gaps. Each part is unit-tested
 * alone; this only wires them.
 */
export function serviceCore<S>(deps: CoreDeps<S>) {
  const {def, store, log, counters} = deps
  const relay = new OutboxRelay(store as ServiceStore<unknown>, (event) => deps.publish(topics.event(event.source, event.type), JSON.stringify(event)), log)
  store.onDurable = () => relay.kick() // the outbox publishes only what is on disk
  const mailbox = new Mailbox()
  const barrier = new CausalBarrier({service: def.name, sources: def.follows, appliedUpTo: (source) => store.appliedUpTo(source)})
  const consumer = new EventConsumer(def, store, log, () => relay.kick(), deps.storeFailed)
  const events = new EventPipeline({apply: (e, fetched) => consumer.apply(e, fetched), mailbox, barrier, poison: counters.ignored, counted: counters.changed})
  // the runtime's own questions (history, what a follower has seen) need no frontier; `health` waits for it itself
  const waitsForFrontier = (command: string) => def.causalBarrier !== false && !runtimeCommands.has(command) && !def.selfContained?.includes(command)
  const requests = new RequestServer({
    service: def.name,
    publish: deps.publish,
    log,
    poison: counters.ignored,
    refusal: deps.refusal,
    caughtUp: (command, frontier, waitMs) => (waitsForFrontier(command) ? barrier.caughtUp(frontier, waitMs) : Promise.resolve()),
  })
  const watch = new LivenessWatch({service: deps.name, follows: def.follows, log, sayOnline: deps.sayOnline, stopping: deps.stopping, poison: counters.ignored})
  const repair = new Repair({
    consumer: consumer as EventConsumer<unknown>,
    store: store as ServiceStore<unknown>,
    log,
    fetch: (source, afterSeq, beforeSeq) =>
      deps.requester.call(source, 'history', {afterSeq, beforeSeq}, {timeoutMs: 2000, onTimeout: () => unavailable('TIMEOUT', `the ${source} service did not answer`)}),
    apply: (fetched, from) => events.fetched(fetched, from),
    release: (source, why) => mailbox.run(() => consumer.release(source, why)),
    isOnline: (source) => watch.online.has(source),
  })
  return {mailbox, barrier, consumer, events, requests, watch, repair, relay}
}

export type ServiceCore<S> = ReturnType<typeof serviceCore<S>>
