import type {MqttClient} from 'mqtt'

import {connectBus} from '../bus/connect.js'
import {liveness} from '../bus/liveness.js'
import {Requester, type Publish} from '../bus/rpc.js'
import {daemonClientId, roleOfProcess, sharedRequestsOf, topics, type DaemonName, type ProcessName} from '../bus/topics.js'
import {unavailable} from '../errors.js'
import {messageHandler} from './busAdapter.js'
import {Counters} from './counters.js'
import {report, retirement, startDaemonProcess, stopWhenAsked, storeFailureLatch, type DaemonOptions, type DaemonProcess} from './daemonProcess.js'
import {daemonHealth} from './daemonHealth.js'
import {historyHandler} from './historyHandler.js'
import {serviceContext} from './serviceContext.js'
import {serviceCore, type ServiceCore} from './serviceCore.js'
import {contractHandlers, type RequestHandler, type ServiceDefinition} from './service.js'
import {witnessHandlers} from './witness.js'

export type {DaemonReport} from './daemonProcess.js'

/**
 * Runs one daemon, in three parts (docs/architecture.md#each-service): the process (settings,
 * credentials, pid, store, signals: daemonProcess.ts), the service core (store, mailbox, inbox,
 * requests, relay, repair: serviceCore.ts) and the bus adapter (one handler per topic kind:
 * busAdapter.ts). Everything that arrives is handled in arrival order, and acknowledged to the
 * broker only once handled.
 */
export async function runService<S>(def: ServiceDefinition<S>, root: string, options: DaemonOptions = {}): Promise<void> {
  const proc = await startDaemonProcess(def, root, options)
  const {log, store} = proc
  const latch = storeFailureLatch(def.name, root, log)
  const clientId = daemonClientId(proc.name)
  let stopping = false
  let client: MqttClient | undefined
  // the connection comes below: what is published before it (the outbox relay, kicked by the store) waits for it
  let connected!: (client: MqttClient) => void
  const connection = new Promise<MqttClient>((resolve) => (connected = resolve))
  // a reply at QoS 0 on the embedded broker only: on an external one the gateway's frontier needs a
  // reply to reach it after the events before it, which Mosquitto keeps within one QoS (a full
  // in-flight window holds QoS 1 back, never QoS 0; docs/architecture.md)
  const lightReplies = proc.broker.url === undefined
  const publish: Publish = async (topic, payload, options) =>
    void (await (await connection).publishAsync(topic, payload, {qos: lightReplies ? (options?.qos ?? 1) : 1}))
  // with the seq it has: the gateway's frontier then covers what it stored before this start
  const sayOnline = () => client!.publishAsync(topics.status(proc.name), liveness('online', process.pid, store.lastSeq), {qos: 1, retain: true})
  const requester = new Requester(publish, topics.reply(clientId))
  const counters = new Counters({service: def.name, log, duplicates: () => core.consumer.counters.duplicates, deadLetters: () => store.deadLetters})
  const core: ServiceCore<S> = serviceCore({
    def,
    name: proc.name,
    store,
    log,
    publish,
    requester,
    counters,
    storeFailed: latch.failed,
    refusal: latch.refusal,
    sayOnline: () => void sayOnline().catch(() => {}),
    stopping: () => stopping,
  })
  const handle = messageHandler({...core, requester, log, ignored: counters.ignored, stopping: () => stopping})
  const health = daemonHealth(def, proc, core, counters, () => stopping)
  let sessionPresent = false
  try {
    client = await connectBus(proc.broker, connectOptions(def, proc), (c) => {
      let connected = false
      c.on('connect', (connack) => {
        sessionPresent = connack.sessionPresent ?? false
        // no session at the broker: what our sources published meanwhile is only in their stores
        if (!sessionPresent) core.repair.catchUp(def.follows)
        // back after a lost connection: the broker announced our will (`offline`) meanwhile
        if (connected && !stopping) {
          log.warn(`reconnected to the broker (session ${sessionPresent ? 'kept' : 'lost'}): online again`)
          void sayOnline().catch(() => {})
        }
        connected = true
        health.connected()
      })
      c.on('offline', health.lost)
      c.handleMessage = handle
    })
  } catch (error) {
    return proc.fatal(unavailable('NO_BROKER', `cannot reach the broker: ${(error as Error).message}`))
  }
  connected(client)

  serveRequests(def, proc, core, {requester, counters, latch, health: health.handler})
  await subscribe({...proc, def}, client, requester, sessionPresent)
  // what we applied but had not written when we last stopped is only in its producer's store now
  core.repair.catchUp(def.follows)
  core.relay.kick() // anything left in the outbox by a previous run
  await sayOnline()
  log.info(`ready (pid ${process.pid}, broker port ${proc.settings.port}, last seq ${store.lastSeq})`)
  counters.flush() // its breakers with the supervisor before it is ready: a status right after `up` lists them
  report({type: 'ready'})
  health.ready()
  setInterval(() => stopping || (void core.repair.tick(), health.changed()), 250).unref()
  const retiring = retirement()
  stopWhenAsked((why) => {
    if (stopping) return
    stopping = true
    void stopGracefully(proc.name, why, proc, core, client!, retiring)
  })
}

/** The service's handlers, typed by its commands in the contract, and the runtime's own: history, seen, witness, health. */
function serveRequests<S>(
  def: ServiceDefinition<S>,
  proc: DaemonProcess<S>,
  core: ServiceCore<S>,
  {requester, counters, latch, health}: {requester: Requester; counters: Counters; latch: ReturnType<typeof storeFailureLatch>; health: RequestHandler},
): void {
  const {store, log} = proc
  const ctx = serviceContext({
    def,
    settings: proc.settings,
    log,
    store,
    mailbox: core.mailbox,
    published: (seq) => core.relay.published(seq),
    applyEvents: (fetched, from) => core.events.fetched(fetched, from),
    requester,
    isDown: (service) => core.watch.down.has(service),
    reportBreaker: counters.breaker,
    storeFailed: latch.failed,
  })
  core.requests.serve({...contractHandlers(def.commands, def.handlers(ctx)), history: historyHandler(store, ctx.read), ...witnessHandlers(store), health})
}

/** A persistent session under the process's fixed client id, with a will that marks it offline if it dies; logged in as its daemon's role. */
const connectOptions = <S>(def: ServiceDefinition<S>, {name, password, broker}: DaemonProcess<S>) => ({
  clientId: daemonClientId(name),
  username: def.name,
  password,
  clean: false, // persistent session: events published while we are down wait in the broker
  reconnectPeriod: 250,
  will: {topic: topics.status(name), payload: Buffer.from(liveness('offline')), qos: 1 as const, retain: true},
  // Mosquitto keeps giving a shared subscription's share to a session whose client is gone: a
  // view replica's session outlives it long enough for a restart, not for good (src/bus/connect.ts)
  ...(def.name === 'view' && broker.url ? {properties: {sessionExpiryInterval: VIEW_SESSION_EXPIRY_S}} : {}),
})

/** How long an external broker keeps a view replica's session (and its share of the reads) once it is gone, in seconds. */
export const VIEW_SESSION_EXPIRY_S = 10

/**
 * Events of the followed services, its requests and its replies (QoS 1), and liveness (QoS 0:
 * nothing to queue). With a session present the broker already holds the subscriptions and is
 * redelivering what waited for us; the SUBACK would come only after all of it, so readiness does
 * not wait for it (requests queue behind that catch-up anyway: everything is handled in order).
 */
async function subscribe<S>({def, name, broker, log}: DaemonProcess<S> & {def: ServiceDefinition<S>}, client: MqttClient, requester: Requester, sessionPresent: boolean) {
  const subscribed = client.subscribeAsync([...def.follows.map(topics.eventsOf), ...requestTopics(def.name, name, broker.url !== undefined), requester.replyTopic], {qos: 1})
  void client
    .subscribeAsync([...def.follows.map(topics.status), topics.status(name)], {qos: 0})
    .catch((error: Error) => log.warn(`cannot watch liveness: ${error.message}`))
  if (sessionPresent) subscribed.catch((error: Error) => log.error(`subscribing failed: ${error.message}`))
  else await subscribed
}

/**
 * Where its requests come from: its own topic (`gdmarket/requests/view-2/+`: on aedes, which has
 * no shared subscriptions, the gateway picks the replica). On an external broker (MQTT 5) the view's
 * replicas share `gdmarket/requests/view/+` (`$share/view/…`), so the broker gives each request to
 * one of them (docs/deploy.md#view-replicas); a replica's own topic stays, for what asks it by name.
 */
function requestTopics(daemon: DaemonName, name: ProcessName, external: boolean): string[] {
  if (daemon !== 'view' || !external) return [topics.requestsOf(name)]
  return [sharedRequestsOf(daemon), ...(name === daemon ? [] : [topics.requestsOf(name)])]
}

/** Graceful stop: no new requests, in-flight ones answered, outbox published, store flushed. */
async function stopGracefully<S>(name: string, why: string, proc: DaemonProcess<S>, core: ServiceCore<S>, client: MqttClient, retiring: () => boolean): Promise<void> {
  const {log, store} = proc
  log.info(`stopping: ${why}`)
  // the supervisor SIGKILLs after stopTimeoutMs anyway; without a supervisor nobody would
  setTimeout(() => process.exit(0), proc.settings.stopTimeoutMs).unref()
  await core.requests.idle()
  await core.mailbox.idle()
  await Promise.race([core.relay.published(store.lastSeq), new Promise((r) => setTimeout(r, 2000))])
  await core.mailbox.run(() => store.flush())
  // Under a supervisor, no `offline` here: during a restart the successor takes over the session
  // and requests wait for it; after a plain stop the supervisor announces `stopped`. A clean
  // DISCONNECT keeps the will (`offline`) for real deaths. Alone on a host nobody else would say
  // it: `offline`, as its process manager starts it again. Bounded: the broker may be gone.
  const goodbye = proc.alone ? client.publishAsync(topics.status(name), liveness('offline'), {qos: 1, retain: true}).catch(() => {}) : undefined
  // A retired view replica ends its session (MQTT 5): its share of the reads goes to the others at
  // once. So does one alone, whose successor (if any) comes after the reads' deadlines; under a
  // supervisor a restart hands the session over in time, so it is kept.
  const leaving = roleOfProcess(name) === 'view' && proc.broker.url !== undefined && (retiring() || proc.alone)
  const end = () => (leaving ? client.endAsync(false, {properties: {sessionExpiryInterval: 0}}) : client.endAsync())
  await Promise.race([Promise.resolve(goodbye).then(end).catch(() => {}), new Promise((r) => setTimeout(r, 500))])
  log.info('stopped')
  process.exit(0)
}
