import type {MqttClient} from 'mqtt'

import {connectBus} from '../bus/connect.js'
import {covers} from '../bus/topicGrants.js'
import {parseTopic, topics} from '../bus/topics.js'
import type {Broker, OnAccepted} from './broker.js'

/** The gateway's and the supervisor's client id on an external broker: theirs alone (src/bus/walls.ts). */
export const GATEWAY_CLIENT_ID = 'gdmarket-gateway'

export interface ExternalBrokerOptions {
  url: string
  caFile?: string
  /** the `gateway` role's password (broker-credentials.json) */
  password: string
  /** sees every event and liveness message as it arrives, in order, before any reply that follows it */
  onAccepted: OnAccepted
}

/**
 * An external broker (Mosquitto, docs/deploy.md) as the stack sees the embedded one: the gateway
 * and the supervisor become one MQTT client, logged in as `gateway`. The embedded broker shows
 * the frontier every event before its publisher is acknowledged; here the gateway reads them.
 * That still covers every change anyone was told of: a reply reaches a client only through this
 * connection, and the broker, having acknowledged an event before its reply was sent, queued the
 * event to this connection first (one session delivers in order). The session persists, so what
 * comes while it reconnects waits.
 */
export async function connectExternalBroker(options: ExternalBrokerOptions): Promise<Broker> {
  const messages: Record<string, number> = {event: 0, request: 0, reply: 0, status: 0}
  const routes: {filter: string; deliver: (topic: string, payload: Buffer) => void}[] = []
  const count = (topic: string) => {
    const kind = parseTopic(topic).kind
    if (kind !== 'other') messages[kind]++
  }
  const url = new URL(options.url)
  const client: MqttClient = await connectBus(
    {port: Number(url.port) || 1883, url: options.url, caFile: options.caFile},
    {clientId: GATEWAY_CLIENT_ID, username: 'gateway', password: options.password, clean: false, reconnectPeriod: 250},
    (c) =>
      c.on('message', (topic, payload) => {
        count(topic)
        options.onAccepted(topic, payload)
        for (const route of routes) if (covers(route.filter, topic)) route.deliver(topic, payload)
      }),
  )
  // the frontier's sources: every event, and the services' `online` with their last seq (retained)
  await client.subscribeAsync([topics.eventsOf('+'), topics.status('+')], {qos: 1})
  const watched = [topics.eventsOf('+'), topics.status('+')]
  return {
    port: Number(url.port) || (url.protocol === 'mqtts:' ? 8883 : 1883),
    url: options.url,
    caFile: options.caFile,
    messages,
    async publish(topic, payload, publishOptions) {
      count(topic)
      await client.publishAsync(topic, payload, {qos: 1, retain: publishOptions?.retain ?? false})
    },
    async subscribe(filter, deliver) {
      routes.push({filter, deliver})
      if (!watched.includes(filter)) await client.subscribeAsync(filter, {qos: 1})
    },
    async close() {
      await client.endAsync().catch(() => {})
    },
  }
}
