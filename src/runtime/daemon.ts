import type {MqttClient} from 'mqtt'
import {v7 as uuidv7} from 'uuid'
import {z} from 'zod'

import {loadSettings, type Settings} from '../config.js'
import {connectBus} from '../bus/connect.js'
import {parseEnvelope, type DomainEvent, type Envelope} from '../bus/events.js'
import {liveness} from '../bus/liveness.js'
import {Requester, requestSchema, sendReply, type CallOptions, type RequestMessage} from '../bus/rpc.js'
import {daemonClientId, parseTopic, topics, type DaemonName, type ServiceName} from '../bus/topics.js'
import {badInput, GdError, unavailable} from '../errors.js'
import {dataDir} from '../paths.js'
import {ServiceStore} from '../store/serviceStore.js'
import {createLog, type Log} from './log.js'
import {Mailbox} from './mailbox.js'
import {OutboxRelay} from './relay.js'

/** A daemon's domain, as the runtime needs it: state, how events change it, and its request handlers. */
export interface ServiceDefinition<S> {
  name: DaemonName
  initialState: () => S
  /** the services whose events this one applies */
  follows: ServiceName[]
  evolve: (state: S, event: Envelope) => S
  /** the events this service emits in answer to another's event (saga steps) */
  react?: (state: S, event: Envelope) => DomainEvent[]
  handlers: (ctx: ServiceContext<S>) => Record<string, RequestHandler>
}

export type RequestHandler = (body: unknown, request: RequestMessage) => Promise<unknown>

export interface Decision {
  events: DomainEvent[]
  correlationId: string
  causationId: string | null
}

export interface ServiceContext<S> {
  settings: Settings
  log: Log
  /** Reads the state after everything that arrived before this call has been applied. */
  read<T>(view: (state: S) => T): Promise<T>
  /**
   * Decides against the current state, stores the new state with its events, and resolves once the
   * broker has them — so a reply sent afterwards can never overtake its own events.
   */
  execute<T>(decide: (state: S) => Decision, result: (state: S, events: Envelope[]) => T): Promise<T>
  /** Applies events another service sent along with its reply, through the same inbox as subscriptions. */
  applyEvents(events: Envelope[]): Promise<void>
  call(target: ServiceName, command: string, body: unknown, options: CallOptions): Promise<unknown>
}

/** Exit code of a daemon that must not be restarted until a person fixes something (EX_CONFIG). */
export const EXIT_WONT_START = 78

export const newCorrelationId = () => uuidv7()

const historyQuery = z.object({
  type: z.string().optional(),
  correlationId: z.string().optional(),
  limit: z.number().int().positive().optional(),
})

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw badInput(`invalid request: ${z.prettifyError(parsed.error).split('\n').join(' ')}`)
  return parsed.data
}

export async function runService<S>(def: ServiceDefinition<S>, root: string): Promise<void> {
  const dir = dataDir(root)
  const log = createLog(def.name)
  const fatal = (error: unknown): never => {
    const message = error instanceof Error ? error.message : String(error)
    log.error(message)
    process.send?.({type: 'fatal', message})
    process.exit(EXIT_WONT_START)
  }

  let settings: Settings
  let store: ServiceStore<S>
  try {
    settings = loadSettings(dir.configFile).values
    store = await ServiceStore.open(def.name, dir.store(def.name), def.initialState)
  } catch (error) {
    return fatal(error)
  }

  const mailbox = new Mailbox()
  const clientId = daemonClientId(def.name)
  const statusTopic = topics.status(def.name)
  let poison = 0
  let stopping = false
  const inFlight = new Set<Promise<unknown>>()

  const stamp = (events: DomainEvent[], meta: Omit<Decision, 'events'>): Envelope[] =>
    events.map(
      (event, i) =>
        ({
          ...event,
          id: uuidv7(),
          source: def.name as ServiceName,
          time: new Date().toISOString(),
          correlationId: meta.correlationId,
          causationId: meta.causationId,
          seq: store.lastSeq + i + 1,
        }) as Envelope,
    )
  const evolveAll = (state: S, events: Envelope[]) => events.reduce(def.evolve, state)

  /** Applies one event of another service exactly once, with any saga step it triggers. */
  const applyIncoming = async (event: Envelope): Promise<void> => {
    if (event.source === def.name || store.hasApplied(event.source, event.seq)) return
    const applied = def.evolve(store.state, event)
    const reactions = stamp(def.react?.(applied, event) ?? [], {correlationId: event.correlationId, causationId: event.id})
    await store.commit({state: evolveAll(applied, reactions), events: reactions, applied: {source: event.source, seq: event.seq}})
    if (reactions.length > 0) relay.kick()
  }

  const countPoison = (why: string, topic: string) => {
    poison++
    log.warn(`ignored a message on ${topic}: ${why} (${poison} so far)`)
  }

  let client: MqttClient
  let requester: Requester
  let handlers: Record<string, RequestHandler>

  const onEvent = (topic: string, payload: Buffer): Promise<void> | void => {
    let raw: unknown
    try {
      raw = JSON.parse(payload.toString())
    } catch {
      return countPoison('not JSON', topic)
    }
    const parsed = parseEnvelope(raw)
    if (!parsed.ok) return countPoison(parsed.problem, topic)
    return mailbox.run(() => applyIncoming(parsed.envelope))
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
    const handler = handlers[command]
    const work = stopping
      ? Promise.reject(unavailable('STOPPING', `the ${def.name} service is stopping; try again in a moment`))
      : handler
        ? handler(request.body, request)
        : Promise.reject(badInput(`the ${def.name} service has no command "${command}"`, 'UNKNOWN_COMMAND'))
    const replied = work.then(
      (result) => sendReply(client, request, {ok: true, result}),
      (error: unknown) => {
        if (!(error instanceof GdError)) log.error(`${command} failed: ${(error as Error).stack ?? error}`)
        const wire =
          error instanceof GdError
            ? error.toWire()
            : unavailable('INTERNAL', `the ${def.name} service failed: ${(error as Error).message}; see \`gdmarket logs ${def.name}\``).toWire()
        sendReply(client, request, {ok: false, error: wire})
      },
    )
    inFlight.add(replied)
    void replied.finally(() => inFlight.delete(replied))
  }

  try {
    client = await connectBus(
      settings.port,
      {
        clientId,
        clean: false, // persistent session: events published while we are down wait in the broker
        reconnectPeriod: 250,
        will: {topic: statusTopic, payload: Buffer.from(liveness('offline')), qos: 1, retain: true},
      },
      (c) => {
        // Messages are handled one at a time and acknowledged only when handled: mqtt.js reads the
        // next packet after this callback, so an event is applied before the broker forgets it.
        c.handleMessage = (packet, done) => {
          const {kind, parts} = parseTopic(packet.topic)
          const payload = packet.payload as Buffer
          let pending: Promise<void> | void = undefined
          if (kind === 'reply') {
            if (!requester.handleReply(payload)) log.warn(`late or unknown reply on ${packet.topic}`)
          } else if (kind === 'event') pending = onEvent(packet.topic, payload)
          else if (kind === 'request' && parts.length === 2) onRequest(packet.topic, parts[1], payload)
          else countPoison('unexpected topic', packet.topic)
          if (pending) pending.then(() => done(), (error: Error) => (log.error(`event failed: ${error.stack}`), done()))
          else done()
        }
      },
    )
  } catch (error) {
    return fatal(unavailable('NO_BROKER', `cannot reach the broker: ${(error as Error).message}`))
  }
  requester = new Requester(client, topics.reply(clientId))
  const relay = new OutboxRelay(
    store as ServiceStore<unknown>,
    (event) => client.publishAsync(topics.event(event.source, event.type), JSON.stringify(event), {qos: 1}),
    log,
  )

  const ctx: ServiceContext<S> = {
    settings,
    log,
    read: (view) => mailbox.run(() => view(store.state)),
    async execute(decide, result) {
      const {events, value} = await mailbox.run(async () => {
        const decision = decide(store.state)
        const events = stamp(decision.events, decision)
        const state = evolveAll(store.state, events)
        if (events.length > 0) await store.commit({state, events})
        return {events, value: result(state, events)}
      })
      if (events.length > 0) await relay.published(events.at(-1)!.seq)
      return value
    },
    applyEvents: (events) => mailbox.run(async () => {
      for (const event of events) await applyIncoming(event)
    }),
    call: (target, command, body, options) => requester.call(target, command, body, options),
  }
  handlers = {
    ...def.handlers(ctx),
    // every service answers for the events it produced: the history behind `gdmarket events` and `trace`
    history: async (body) => {
      const {type, correlationId, limit} = parseBody(historyQuery, body)
      const events = await ctx.read(() =>
        store.events.filter((e) => (!type || e.type === type) && (!correlationId || e.correlationId === correlationId)),
      )
      return limit === undefined ? events : events.slice(-limit)
    },
  }

  await client.subscribeAsync(
    [...def.follows.map(topics.eventsOf), topics.requestsOf(def.name), requester.replyTopic].map((topic) => topic),
    {qos: 1},
  )
  relay.kick() // anything left in the outbox by a previous run
  await client.publishAsync(statusTopic, liveness('online'), {qos: 1, retain: true})
  log.info(`ready (pid ${process.pid}, broker port ${settings.port}, last seq ${store.lastSeq})`)
  process.send?.({type: 'ready'})

  const stop = async (why: string) => {
    if (stopping) return
    stopping = true
    log.info(`stopping: ${why}`)
    await Promise.allSettled([...inFlight])
    await mailbox.idle()
    await Promise.race([relay.published(store.lastSeq), new Promise((r) => setTimeout(r, 2000))])
    await store.flush()
    await client.publishAsync(statusTopic, liveness('offline'), {qos: 1, retain: true}).catch(() => {})
    await client.endAsync().catch(() => {})
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
  // the supervisor is gone (IPC channel closed): no orphan may keep running on its own
  process.on('disconnect', () => void stop('supervisor went away'))
}
