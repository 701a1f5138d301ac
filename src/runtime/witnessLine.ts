import type {MqttClient} from 'mqtt'

import {connectBus, publisherOf, type BrokerAddress} from '../bus/connect.js'
import {parseLiveness} from '../bus/liveness.js'
import {Requester} from '../bus/rpc.js'
import {daemonClientId, parseTopic, topics, type DaemonName} from '../bus/topics.js'
import {unavailable} from '../errors.js'
import type {ServiceStore} from '../store/serviceStore.js'
import type {Log} from './log.js'
import {RequestServer} from './requestServer.js'
import {witnessHandlers} from './witness.js'

/** The commands the witness line answers; the daemon's own session answers everything else. */
const ANSWERED = new Set(['seen', 'witness'])

export interface WitnessLine {
  /** one request to another daemon, with its own deadline */
  ask(target: string, command: string, body: unknown, timeoutMs: number): Promise<unknown>
  /** a daemon's retained liveness state, for those watched */
  stateOf(name: string): string | undefined
  close(): Promise<void>
}

export interface WitnessLineOptions {
  service: DaemonName
  broker: BrokerAddress
  password: string
  store: ServiceStore<unknown>
  log: Log
  /** the daemons whose liveness is watched: the followers it asks */
  watch: readonly string[]
}

/**
 * A short connection of a starting daemon, before its persistent session (client id
 * the client id gdmarket-<name>-check, clean): there it asks its followers what they have seen, and answers
 * them the same question. Its session is not taken up before the store is judged, because the
 * broker hands a session its queued events at once, and applying one writes to a store that may
 * be behind; and the question cannot wait for the session, because its followers, starting too,
 * ask it theirs at the same time (docs/architecture.md).
 */
export async function openWitnessLine(options: WitnessLineOptions): Promise<WitnessLine> {
  const {service, log} = options
  const clientId = `${daemonClientId(service)}-check`
  const states = new Map<string, string>()
  let client: MqttClient | undefined
  const publish = (topic: string, payload: string) => publisherOf(client!)(topic, payload)
  const requester = new Requester(publish, topics.reply(clientId))
  const requests = new RequestServer({
    service,
    publish,
    log,
    poison: (why, topic) => log.warn(`ignored a message on ${topic}: ${why}`),
    caughtUp: () => Promise.resolve(),
  })
  requests.serve(witnessHandlers(options.store))
  client = await connectBus(options.broker, {clientId, username: service, password: options.password, clean: true, reconnectPeriod: 250}, (c) => {
    c.on('message', (topic, payload) => {
      const {kind, parts} = parseTopic(topic)
      if (kind === 'reply') requester.handleReply(payload)
      else if (kind === 'request' && parts.length === 2 && ANSWERED.has(parts[1])) requests.handle(topic, parts[1], payload)
      else if (kind === 'status') {
        const state = parseLiveness(payload)?.state
        if (state) states.set(parts[0], state)
      }
      // other requests wait in the daemon's own session for it
    })
  })
  await client.subscribeAsync([requester.replyTopic, topics.requestsOf(service)], {qos: 1})
  if (options.watch.length > 0) await client.subscribeAsync(options.watch.map(topics.status), {qos: 0})
  return {
    ask: (target, command, body, timeoutMs) =>
      requester.call(target, command, body, {timeoutMs, onTimeout: () => unavailable('TIMEOUT', `the ${target} service did not answer \`${command}\``)}),
    stateOf: (name) => states.get(name),
    async close() {
      requester.rejectAll(unavailable('CLOSED', 'the witness line closed'))
      await requests.idle()
      await Promise.race([client!.endAsync().catch(() => {}), new Promise((r) => setTimeout(r, 500))])
    },
  }
}
