import type {MqttClient} from 'mqtt'

import {parseTopic} from '../bus/topics.js'
import type {Requester} from '../bus/rpc.js'
import type {EventPipeline} from './eventPipeline.js'
import type {LivenessWatch} from './livenessWatch.js'
import type {Log} from './log.js'
import type {RequestServer} from './requestServer.js'

export interface BusAdapterDeps {
  requester: Requester
  events: EventPipeline
  requests: RequestServer
  watch: LivenessWatch
  log: Log
  /** counts a message that is not what its topic carries */
  ignored(why: string, topic: string): void
  stopping(): boolean
}

type Packet = Parameters<MqttClient['handleMessage']>[0]
type Done = Parameters<MqttClient['handleMessage']>[1]
/** One kind of topic: what arrives on it, handled; a promise when the broker's acknowledgement must wait for it. */
type KindHandler = (topic: string, parts: string[], payload: Buffer) => Promise<void> | void

/**
 * What a daemon's broker connection delivers, one small handler per topic kind (as aedes has one
 * per packet type). Messages are handled one at a time and acknowledged only when handled: mqtt.js
 * reads the next packet after this callback, so an event is applied before the broker forgets it
 * (applied, not yet on disk: see EventConsumer; every start catches up from the producers).
 */
export function messageHandler(deps: BusAdapterDeps): (packet: Packet, done: Done) => void {
  const {requester, events, requests, watch, log, ignored} = deps
  const handlers: Record<string, KindHandler> = {
    reply(topic, _parts, payload) {
      const outcome = requester.handleReply(payload)
      if (outcome === 'malformed') ignored('not a reply', topic)
      else if (outcome === 'late') log.warn(`a reply came after its caller gave up, on ${topic}`)
    },
    event: (topic, _parts, payload) => events.deliver(topic, payload),
    request(topic, parts, payload) {
      if (parts.length === 2) requests.handle(topic, parts[1], payload)
      else ignored('unexpected topic', topic)
    },
    status: (topic, parts, payload) => watch.observe(topic, parts[0], payload),
  }
  return (packet, done) => {
    const {kind, parts} = parseTopic(packet.topic)
    // Stopping: new requests are not acknowledged, so the broker keeps them in our session for
    // the next instance (zero-downtime restart); events are still applied, so the successor
    // starts from the newest state. mqtt.js sends no PUBACK for a message whose handler fails,
    // and goes on reading: replies still reach in-flight work.
    if (deps.stopping() && kind === 'request') return done(new Error('left for the next instance'))
    const handler = Object.hasOwn(handlers, kind) ? handlers[kind] : undefined
    const pending = handler ? handler(packet.topic, parts, packet.payload as Buffer) : ignored('unexpected topic', packet.topic)
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
}
