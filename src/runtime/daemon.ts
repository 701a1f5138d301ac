import type {MqttClient} from 'mqtt'
import {z} from 'zod'

import {removePidFile, writePidFile} from '../stack/stackFile.js'
import {connectBus, publisherOf} from '../bus/connect.js'
import {parseEnvelope, type Envelope} from '../bus/events.js'
import {liveness, parseLiveness} from '../bus/liveness.js'
import {Requester, requestSchema, sendReply, type RequestMessage} from '../bus/rpc.js'
import {daemonClientId, parseTopic, topics, type ServiceName} from '../bus/topics.js'
import {loadSettings, type Settings} from '../config.js'
import {badInput, GdError, unavailable} from '../errors.js'
import {dataDir} from '../paths.js'
import {ServiceStore} from '../store/serviceStore.js'
import {CausalBarrier} from './barrier.js'
import {EventConsumer} from './consumer.js'
import {createLog} from './log.js'
import {Mailbox} from './mailbox.js'
import {OutboxRelay} from './relay.js'
import {Repair} from './repair.js'
import {
  EXIT_WONT_START,
  parseBody,
  stamp,
  type BreakerSummary,
  type RequestHandler,
  type ServiceContext,
  type ServiceDefinition,
} from './service.js'

const historyQuery = z.object({
  type: z.string().optional(),
  correlationId: z.string().optional(),
  /** only events with afterSeq < seq < beforeSeq: how a consumer fills a gap */
  afterSeq: z.number().int().min(0).optional(),
  beforeSeq: z.number().int().positive().optional(),
  limit: z.number().int().positive().optional(),
})

/** What a daemon tells its supervisor over IPC. */
export type DaemonReport =
  | {type: 'ready'}
  | {type: 'fatal'; message: string}
  | {type: 'standby'}
  | {
      type: 'counters'
      poison: number
      duplicates: number
      deadLetters: {service: string; eventId: string; type: string; error: string}[]
      breakers: BreakerSummary[]
    }

const report = (message: DaemonReport) => process.send?.(message)

/**
 * A successor started for a zero-downtime restart: loaded and waiting, it must not touch the store
 * until its predecessor has stopped. The supervisor says `go` then.
 */
function standBy(): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (message: {type?: string}) => {
      if (message?.type !== 'go') return
      process.off('message', onMessage)
      resolve()
    }
    process.on('message', onMessage)
    process.once('disconnect', () => process.exit(0)) // the supervisor went away before saying go
    report({type: 'standby'})
  })
}

/**
 * Runs one daemon: its store, its broker connection and the wiring between them. Everything that
 * arrives is handled in arrival order, and acknowledged to the broker only once handled.
 */
export async function runService<S>(def: ServiceDefinition<S>, root: string): Promise<void> {
  const dir = dataDir(root)
  const log = createLog(def.name)
  const fatal = (error: unknown): never => {
    const message = error instanceof Error ? error.message : String(error)
    log.error(message)
    report({type: 'fatal', message})
    process.exit(EXIT_WONT_START)
  }

  let settings: Settings
  let store: ServiceStore<S>
  try {
    settings = loadSettings(dir.configFile).values
    if (process.env.GDMARKET_STANDBY === '1') await standBy()
    writePidFile(dir.pidFile(def.name))
    process.on('exit', () => removePidFile(dir.pidFile(def.name)))
    store = await ServiceStore.open(def.name, dir.store(def.name), def.initialState, def.evolve)
  } catch (error) {
    return fatal(error)
  }

  /** The store is the truth: if it cannot be written, nothing may be acknowledged any more. */
  const storeFailed = (error: Error): never => {
    log.error(`cannot write the store: ${error.stack}`)
    process.exit(1)
  }
  const mailbox = new Mailbox()
  const clientId = daemonClientId(def.name)
  const statusTopic = topics.status(def.name)
  let poison = 0
  let stopping = false
  const inFlight = new Set<Promise<unknown>>()
  let client: MqttClient
  let publish: ReturnType<typeof publisherOf>
  let requester: Requester | undefined
  let handlers: Record<string, RequestHandler>
  let sessionPresent = false
  /** the followed services that are online (their retained liveness): the repair asks only those */
  const sourcesOnline = new Set<string>()
  const barrier = new CausalBarrier({
    sources: def.follows,
    appliedUpTo: (source) => store.appliedUpTo(source),
  })

  // messages can arrive before the wiring below is done (a resumed session replays at once)
  let relay: OutboxRelay | undefined
  let wired: () => void = () => {}
  const wiring = new Promise<void>((resolve) => (wired = resolve))
  const consumer = new EventConsumer(def, store, log, () => relay?.kick(), storeFailed)
  const breakers = new Map<string, BreakerSummary>()
  /** Events fetched rather than delivered (a saga's reply, a repair): applied like delivered ones. */
  const applyEvents = (events: Envelope[]) =>
    mailbox.run(async () => {
      for (const event of events) await consumer.apply(event)
      barrier.wake()
    })
  const repair = new Repair({
    consumer: consumer as EventConsumer<unknown>,
    store: store as ServiceStore<unknown>,
    log,
    fetch: (source, afterSeq, beforeSeq) =>
      requester!.call(source, 'history', {afterSeq, beforeSeq}, {
        timeoutMs: 2000,
        onTimeout: () => unavailable('TIMEOUT', `the ${source} service did not answer`),
      }),
    apply: (events) => applyEvents(events),
    isOnline: (source) => sourcesOnline.has(source),
  })

  // counters go to the supervisor for `gdmarket status`, coalesced so a flood costs one message
  let reportTimer: NodeJS.Timeout | null = null
  const reportCounters = () => {
    reportTimer ??= setTimeout(() => {
      reportTimer = null
      report({
        type: 'counters',
        poison,
        duplicates: consumer.counters.duplicates,
        deadLetters: store.deadLetters.slice(-20).map((d) => ({service: def.name, eventId: d.event.id, type: d.event.type, error: d.error})),
        breakers: [...breakers.values()],
      })
    }, 100)
  }
  const countPoison = (why: string, topic: string) => {
    poison++
    log.warn(`ignored a message on ${topic}: ${why} (${poison} so far)`)
    reportCounters()
  }

  const onEvent = (topic: string, payload: Buffer): Promise<void> | void => {
    let raw: unknown
    try {
      raw = JSON.parse(payload.toString())
    } catch {
      return countPoison('not JSON', topic)
    }
    const parsed = parseEnvelope(raw)
    if (!parsed.ok) return countPoison(parsed.problem, topic)
    return mailbox.run(async () => {
      const outcome = await consumer.apply(parsed.envelope)
      if (outcome !== 'applied') reportCounters()
      barrier.wake()
    })
  }

  const onRequest = (topic: string, command: string, payload: Buffer): void => {
    let request: RequestMessage
    try {
      request = requestSchema.parse(JSON.parse(payload.toString()))
    } catch {
      return countPoison('not a request', topic)
    }
    if (Date.now() > request.deadline) {
      log.warn(`dropped ${command} request ${request.id}: its caller stopped waiting`)
      return
    }
    const needsBarrier = def.causalBarrier !== false && command !== 'history' && !def.selfContained?.includes(command)
    const work = wiring.then(async () => {
      const handler = Object.hasOwn(handlers, command) ? handlers[command] : undefined
      if (!handler) throw badInput(`the ${def.name} service has no command "${command}"`, 'UNKNOWN_COMMAND')
      if (needsBarrier) await barrier.caughtUp(request.after)
      return handler(request.body, request)
    })
    const replied = work.then(
      (result) => sendReply(publish, request, {ok: true, result}),
      (error: unknown) => {
        if (!(error instanceof GdError)) log.error(`${command} failed: ${(error as Error).stack ?? error}`)
        const wire =
          error instanceof GdError
            ? error.toWire()
            : unavailable('INTERNAL', `the ${def.name} service failed: ${(error as Error).message}; see \`gdmarket logs ${def.name}\``).toWire()
        sendReply(publish, request, {ok: false, error: wire})
      },
    )
    inFlight.add(replied)
    void replied.finally(() => inFlight.delete(replied))
  }

  try {
    client = await connectBus(
      {port: settings.port, socket: process.env.GDMARKET_BROKER_SOCKET || undefined},
      {
        clientId,
        clean: false, // persistent session: events published while we are down wait in the broker
        reconnectPeriod: 250,
        will: {topic: statusTopic, payload: Buffer.from(liveness('offline')), qos: 1, retain: true},
      },
      (c) => {
        c.on('connect', (connack) => {
          sessionPresent = connack.sessionPresent ?? false
          // no session at the broker: what our sources published meanwhile is only in their stores
          if (!sessionPresent) repair.catchUp(def.follows)
        })
        // Messages are handled one at a time and acknowledged only when handled: mqtt.js reads the
        // next packet after this callback, so an event is applied before the broker forgets it
        // (applied, not yet on disk: see EventConsumer; every start catches up from the producers).
        c.handleMessage = (packet, done) => {
          const {kind, parts} = parseTopic(packet.topic)
          const payload = packet.payload as Buffer
          // Stopping: new requests are not acknowledged, so the broker keeps them in our session for
          // the next instance (zero-downtime restart); events are still applied, so the successor
          // starts from the newest state. mqtt.js sends no PUBACK for a message whose handler fails,
          // and goes on reading: replies still reach in-flight work.
          if (stopping && kind === 'request') return done(new Error('left for the next instance'))
          let pending: Promise<void> | void = undefined
          if (kind === 'reply') {
            const outcome = requester?.handleReply(payload) ?? 'malformed'
            if (outcome === 'malformed') countPoison('not a reply', packet.topic)
            else if (outcome === 'late') log.warn(`a reply came after its caller gave up, on ${packet.topic}`)
          } else if (kind === 'event') pending = onEvent(packet.topic, payload)
          else if (kind === 'request' && parts.length === 2) onRequest(packet.topic, parts[1], payload)
          else if (kind === 'status' && parts[0] === def.name) {
            // A predecessor killed with kill -9 can have its will (`offline`) published after we
            // said `online` (the broker notices the dead connection late): say it again.
            const state = parseLiveness(payload)
            if (state && state.state !== 'online' && state.pid !== process.pid && !stopping) {
              log.warn(`the broker says ${def.name} is ${state.state} (pid ${state.pid}); it is not: online again`)
              client.publish(statusTopic, liveness('online', process.pid, store.lastSeq), {qos: 1, retain: true})
            }
          } else if (kind === 'status' && def.follows.includes(parts[0] as ServiceName)) {
            const state = parseLiveness(payload)
            if (!state) countPoison('not a liveness message', packet.topic)
            else if (state.state === 'online') sourcesOnline.add(parts[0])
            else sourcesOnline.delete(parts[0])
          }
          else countPoison('unexpected topic', packet.topic)
          if (!pending) return done()
          pending.then(
            () => done(),
            (error: Error) => {
              // only the store can fail here: die unacknowledged, the broker redelivers to our successor
              log.error(`cannot store an event: ${error.stack}`)
              process.exit(1)
            },
          )
        }
      },
    )
  } catch (error) {
    return fatal(unavailable('NO_BROKER', `cannot reach the broker: ${(error as Error).message}`))
  }
  publish = publisherOf(client)
  requester = new Requester(publish, topics.reply(clientId))

  relay = new OutboxRelay(
    store as ServiceStore<unknown>,
    (event) => client.publishAsync(topics.event(event.source, event.type), JSON.stringify(event), {qos: 1}),
    log,
  )
  store.onDurable = () => relay?.kick() // the outbox publishes only what is on disk

  const ctx: ServiceContext<S> = {
    settings,
    log,
    // Every answer — a read, a refusal, a change — leaves only once what it was made from is on
    // disk: it may not show what a crash could still take back. `store.durable()` taken in the
    // mailbox is exactly the commits before it; later ones are not waited for.
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
        try {
          const decision = decide(store.state)
          const events = stamp(def.name as ServiceName, decision.events, decision, store.lastSeq)
          const state = events.reduce(def.evolve, store.state)
          const durable = events.length > 0 ? store.commit({state, events}).catch(storeFailed) : seen
          return {value: result(state, events), durable, lastSeq: events.at(-1)?.seq ?? 0}
        } catch (refusal) {
          return {refusal, durable: seen}
        }
      })
      await outcome.durable
      if ('refusal' in outcome) throw outcome.refusal
      // ...and, for a change, once the broker has its events: a follower's barrier (`position`)
      // then finds them, even while this service restarts. (Replying once they were on disk was
      // tried: ~10 % more cycles/s, but a zero-downtime restart under load let a follower read
      // before the events were published — 2 NOT_PAID in the restart test.)
      if (outcome.lastSeq > 0) await relay!.published(outcome.lastSeq)
      return outcome.value
    },
    applyEvents,
    call: (target, command, body, options) => requester.call(target, command, body, options),
    reportBreaker: (summary) => {
      breakers.set(summary.name, summary)
      reportCounters()
    },
  }
  handlers = {
    ...def.handlers(ctx),
    // every service answers for the events it produced: the history behind `gdmarket events` and `trace`
    history: async (body) => {
      const {type, correlationId, afterSeq = 0, beforeSeq = Infinity, limit} = parseBody(historyQuery, body)
      // only what is on disk: an event not yet written could be lost to a crash and its seq reused
      const durableSeq = store.durableSeq
      const events = await ctx.read(() =>
        store.events.filter(
          (e) =>
            e.seq > afterSeq &&
            e.seq < beforeSeq &&
            e.seq <= durableSeq &&
            (!type || e.type === type) &&
            (!correlationId || e.correlationId === correlationId),
        ),
      )
      return limit === undefined ? events : events.slice(-limit)
    },
  }

  // With a session present the broker already holds our subscriptions and is now redelivering what
  // waited for us; the SUBACK would come only after all of it, so readiness does not wait for it.
  // (Requests queue behind that catch-up anyway: everything is handled in arrival order.)
  const subscribed = client.subscribeAsync([...def.follows.map(topics.eventsOf), topics.requestsOf(def.name), requester.replyTopic], {
    qos: 1,
  })
  // the followed services' liveness (retained), for the causal barrier; QoS 0: nothing to queue
  void client.subscribeAsync([...def.follows.map(topics.status), statusTopic], {qos: 0}).catch((error: Error) => log.warn(`cannot watch liveness: ${error.message}`))
  if (sessionPresent) subscribed.catch((error: Error) => log.error(`subscribing failed: ${error.message}`))
  else await subscribed
  wired()
  // what we applied but had not written when we last stopped is only in its producer's store now
  repair.catchUp(def.follows)
  relay.kick() // anything left in the outbox by a previous run
  // with the seq it has: the gateway's frontier then covers what it stored before this start
  await client.publishAsync(statusTopic, liveness('online', process.pid, store.lastSeq), {qos: 1, retain: true})
  log.info(`ready (pid ${process.pid}, broker port ${settings.port}, last seq ${store.lastSeq})`)
  report({type: 'ready'})
  reportCounters()

  setInterval(() => stopping || void repair.tick(), 250).unref()

  /** Graceful stop: no new requests, in-flight ones answered, outbox published, store flushed. */
  const stop = async (why: string) => {
    if (stopping) return
    stopping = true
    log.info(`stopping: ${why}`)
    // the supervisor SIGKILLs after stopTimeoutMs anyway; without a supervisor nobody would
    setTimeout(() => process.exit(0), settings.stopTimeoutMs).unref()
    await Promise.allSettled([...inFlight])
    await mailbox.idle()
    await Promise.race([relay.published(store.lastSeq), new Promise((r) => setTimeout(r, 2000))])
    await mailbox.run(() => store.flush())
    // No `offline` here: during a restart the successor takes over the session and requests wait
    // for it; after a plain stop the supervisor announces `stopped`. A clean DISCONNECT keeps the
    // will (`offline`) for real deaths. Bounded: with the broker gone it would wait for a reconnect.
    await Promise.race([client.endAsync().catch(() => {}), new Promise((r) => setTimeout(r, 500))])
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
  // the supervisor is gone (IPC channel closed): no orphan may keep running on its own
  process.on('disconnect', () => void stop('supervisor went away'))
}
