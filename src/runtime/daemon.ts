import type {MqttClient} from 'mqtt'

import {connectBus} from '../bus/connect.js'
import {liveness} from '../bus/liveness.js'
import {Requester, type Publish} from '../bus/rpc.js'
import {daemonClientId, parseTopic, topics} from '../bus/topics.js'
import {loadSettings, type Settings} from '../config.js'
import {GdError, unavailable} from '../errors.js'
import {dataDir} from '../paths.js'
import {removePidFile, writePidFile} from '../stack/stackFile.js'
import {readCredentials} from '../stack/walls.js'
import type {ServiceStore} from '../store/serviceStore.js'
import {storageProblem} from '../store/storageProblem.js'
import {CausalBarrier} from './barrier.js'
import {EventConsumer} from './consumer.js'
import {EventPipeline} from './eventPipeline.js'
import {historyHandler} from './historyHandler.js'
import {LivenessWatch} from './livenessWatch.js'
import {createLog} from './log.js'
import {Mailbox} from './mailbox.js'
import {OutboxRelay} from './relay.js'
import {Repair} from './repair.js'
import {RequestServer} from './requestServer.js'
import {serviceContext} from './serviceContext.js'
import {EXIT_STORAGE, EXIT_WONT_START, type BreakerSummary, type ServiceDefinition} from './service.js'
import {openCheckedStore} from './storeCheck.js'
import type {RecoveryReport} from './storeRecovery.js'
import {witnessHandlers} from './witness.js'

/** What a daemon tells its supervisor over IPC. */
export type DaemonReport =
  | {type: 'ready'}
  | {type: 'fatal'; message: string}
  /** it cannot write its files; it exits with EXIT_STORAGE and is tried again */
  | {type: 'storage'; message: string}
  /**
   * its store is behind what its followers have seen (STORE_BEHIND), or `store recover` could not
   * make it whole (UNRECOVERABLE): it exits with EXIT_WONT_START, and the stack stays up for the recovery
   */
  | {type: 'behind'; code: string; message: string; exit: number}
  /** what `store recover` did, before the daemon goes on to start */
  | {type: 'recovery'; report: RecoveryReport}
  | {type: 'standby'}
  | {
      type: 'counters'
      poison: number
      duplicates: number
      deadLetters: {service: string; eventId: string; type: string; error: string}[]
      breakers: BreakerSummary[]
    }

const report = (message: DaemonReport) => process.send?.(message)

/** Requests every daemon answers, besides its service's own. */
const runtimeCommands = new Set(['history', 'seen', 'witness'])

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
 * Runs one daemon: a composition of its store, its broker connection, a request server, an event
 * pipeline, the outbox relay and the repair of gaps (docs/architecture.md). Everything that
 * arrives is handled in arrival order, and acknowledged to the broker only once handled.
 */
export async function runService<S>(def: ServiceDefinition<S>, root: string): Promise<void> {
  const dir = dataDir(root)
  const log = createLog(def.name)
  const fatal = (error: unknown): never => {
    const storage = storageProblem(error, root, def.name)
    const message = storage?.message ?? (error instanceof Error ? error.message : String(error))
    log.error(message)
    if (error instanceof GdError && (error.code === 'STORE_BEHIND' || error.code === 'UNRECOVERABLE')) {
      report({type: 'behind', code: error.code, message, exit: error.exit})
    } else report(storage ? {type: 'storage', message} : {type: 'fatal', message})
    process.exit(storage ? EXIT_STORAGE : EXIT_WONT_START)
  }

  let settings: Settings
  let store: ServiceStore<S>
  let password: string
  try {
    settings = loadSettings(dir.configFile).values
    const credentials = readCredentials(dir.credentialsFile)
    if (!credentials) throw new Error(`no credentials for the broker in ${dir.credentialsFile}; start the stack with \`gdmarket up\``)
    password = credentials[def.name]
    if (process.env.GDMARKET_STANDBY === '1') await standBy()
    writePidFile(dir.pidFile(def.name))
    process.on('exit', () => removePidFile(dir.pidFile(def.name)))
    const recover = process.env.GDMARKET_RECOVER === '1'
    const broker = {port: settings.port, socket: process.env.GDMARKET_BROKER_SOCKET || undefined}
    const opened = await openCheckedStore(def, {file: dir.store(def.name), broker, password, log, recover})
    store = opened.store
    for (const note of store.openNotes) log.warn(note)
    if (opened.recovery) report({type: 'recovery', report: opened.recovery})
  } catch (error) {
    return fatal(error)
  }

  /**
   * The store is the truth: once a write failed, memory is ahead of the disk and nothing may be
   * acknowledged or read any more. Every caller hears why; then the daemon exits, and its
   * supervisor starts it again from what is on disk (again and again while the disk is full).
   */
  let broken: GdError | undefined
  const storeFailed = (error: Error): GdError => {
    if (broken) return broken
    const storage = storageProblem(error, root, def.name)
    broken = storage ?? unavailable('STORE_FAILED', `the ${def.name} service could not write its store (${error.message}); it restarts on its own`)
    log.error(`cannot write the store: ${storage ? broken.message : error.stack}`)
    if (storage) report({type: 'storage', message: storage.message})
    // a moment for the refusals to reach their callers
    setTimeout(() => process.exit(storage ? EXIT_STORAGE : 1), 200)
    return broken
  }
  const clientId = daemonClientId(def.name)
  const statusTopic = topics.status(def.name)
  let stopping = false
  let client: MqttClient | undefined
  // the connection comes below; nothing is published before it is there
  const publish: Publish = async (topic, payload) => void (await client!.publishAsync(topic, payload, {qos: 1}))
  const requester = new Requester(publish, topics.reply(clientId))
  // with the seq it has: the gateway's frontier then covers what it stored before this start
  const sayOnline = () => client!.publishAsync(statusTopic, liveness('online', process.pid, store.lastSeq), {qos: 1, retain: true})

  // counters go to the supervisor for `gdmarket status`, coalesced so a flood costs one message
  let poison = 0
  const breakers = new Map<string, BreakerSummary>()
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

  const mailbox = new Mailbox()
  const barrier = new CausalBarrier({sources: def.follows, appliedUpTo: (source) => store.appliedUpTo(source)})
  const consumer = new EventConsumer(def, store, log, () => relay.kick(), storeFailed)
  const events = new EventPipeline({apply: (e, fetched) => consumer.apply(e, fetched), mailbox, barrier, poison: countPoison, counted: reportCounters})
  // the runtime's own questions (history, what a follower has seen) need no frontier
  const waitsForFrontier = (command: string) => def.causalBarrier !== false && !runtimeCommands.has(command) && !def.selfContained?.includes(command)
  const requests = new RequestServer({
    service: def.name,
    publish,
    log,
    poison: countPoison,
    refusal: () => broken,
    caughtUp: (command, frontier) => (waitsForFrontier(command) ? barrier.caughtUp(frontier) : Promise.resolve()),
  })
  const watch = new LivenessWatch({service: def.name, follows: def.follows, log, sayOnline: () => void sayOnline().catch(() => {}), stopping: () => stopping, poison: countPoison})
  const repair = new Repair({
    consumer: consumer as EventConsumer<unknown>,
    store: store as ServiceStore<unknown>,
    log,
    fetch: (source, afterSeq, beforeSeq) =>
      requester.call(source, 'history', {afterSeq, beforeSeq}, {
        timeoutMs: 2000,
        onTimeout: () => unavailable('TIMEOUT', `the ${source} service did not answer`),
      }),
    apply: (fetched, from) => events.fetched(fetched, from),
    release: (source, why) => mailbox.run(() => consumer.release(source, why)),
    isOnline: (source) => watch.online.has(source),
  })
  const relay = new OutboxRelay(
    store as ServiceStore<unknown>,
    (event) => publish(topics.event(event.source, event.type), JSON.stringify(event)),
    log,
  )
  store.onDurable = () => relay.kick() // the outbox publishes only what is on disk

  let sessionPresent = false
  try {
    client = await connectBus(
      {port: settings.port, socket: process.env.GDMARKET_BROKER_SOCKET || undefined},
      {
        clientId,
        username: def.name,
        password,
        clean: false, // persistent session: events published while we are down wait in the broker
        reconnectPeriod: 250,
        will: {topic: statusTopic, payload: Buffer.from(liveness('offline')), qos: 1, retain: true},
      },
      (c) => {
        let connected = false
        c.on('connect', (connack) => {
          sessionPresent = connack.sessionPresent ?? false
          // no session at the broker: what our sources published meanwhile is only in their stores
          if (!sessionPresent) repair.catchUp(def.follows)
          // back after a lost connection: the broker announced our will (`offline`) meanwhile
          if (connected && !stopping) {
            log.warn(`reconnected to the broker (session ${sessionPresent ? 'kept' : 'lost'}): online again`)
            void sayOnline().catch(() => {})
          }
          connected = true
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
            const outcome = requester.handleReply(payload)
            if (outcome === 'malformed') countPoison('not a reply', packet.topic)
            else if (outcome === 'late') log.warn(`a reply came after its caller gave up, on ${packet.topic}`)
          } else if (kind === 'event') pending = events.deliver(packet.topic, payload)
          else if (kind === 'request' && parts.length === 2) requests.handle(packet.topic, parts[1], payload)
          else if (kind === 'status') watch.observe(packet.topic, parts[0], payload)
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

  const ctx = serviceContext({
    def,
    settings,
    log,
    store,
    mailbox,
    published: (seq) => relay.published(seq),
    applyEvents: (fetched, from) => events.fetched(fetched, from),
    requester,
    isOnline: (service) => watch.online.has(service),
    reportBreaker: (summary) => {
      breakers.set(summary.name, summary)
      reportCounters()
    },
    storeFailed,
  })
  requests.serve({...def.handlers(ctx), history: historyHandler(store, ctx.read), ...witnessHandlers(store)})

  // With a session present the broker already holds our subscriptions and is now redelivering what
  // waited for us; the SUBACK would come only after all of it, so readiness does not wait for it.
  // (Requests queue behind that catch-up anyway: everything is handled in arrival order.)
  const subscribed = client.subscribeAsync([...def.follows.map(topics.eventsOf), topics.requestsOf(def.name), requester.replyTopic], {
    qos: 1,
  })
  // liveness (retained): our own, and the followed services' for the repair; QoS 0: nothing to queue
  void client.subscribeAsync([...def.follows.map(topics.status), statusTopic], {qos: 0}).catch((error: Error) => log.warn(`cannot watch liveness: ${error.message}`))
  if (sessionPresent) subscribed.catch((error: Error) => log.error(`subscribing failed: ${error.message}`))
  else await subscribed
  // what we applied but had not written when we last stopped is only in its producer's store now
  repair.catchUp(def.follows)
  relay.kick() // anything left in the outbox by a previous run
  await sayOnline()
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
    await requests.idle()
    await mailbox.idle()
    await Promise.race([relay.published(store.lastSeq), new Promise((r) => setTimeout(r, 2000))])
    await mailbox.run(() => store.flush())
    // No `offline` here: during a restart the successor takes over the session and requests wait
    // for it; after a plain stop the supervisor announces `stopped`. A clean DISCONNECT keeps the
    // will (`offline`) for real deaths. Bounded: with the broker gone it would wait for a reconnect.
    await Promise.race([client!.endAsync().catch(() => {}), new Promise((r) => setTimeout(r, 500))])
    log.info('stopped')
    process.exit(0)
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
  // the supervisor is gone (IPC channel closed): no orphan may keep running on its own. The
  // channel is not the only sign: a daemon whose parent died is handed to another (init), so the
  // parent's pid is watched too (an orphan once outlived its supervisor by 38 minutes).
  process.on('disconnect', () => void stop('supervisor went away'))
  const parent = process.ppid
  setInterval(() => process.ppid !== parent && void stop(`supervisor (pid ${parent}) went away`), 500).unref()
}
