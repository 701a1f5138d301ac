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

/** Node's codes for a certificate that names another host, or is out of date (tls.checkServerIdentity, OpenSSL's verify errors). */
const NOT_THIS_HOST = 'ERR_TLS_CERT_ALTNAME_INVALID'
const OUT_OF_DATE = ['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']
/** …and those that say no CA given vouches for it (UNABLE_TO_VERIFY_LEAF_SIGNATURE, SELF_SIGNED_CERT_IN_CHAIN, …) */
const UNTRUSTED = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ISSUER|INVALID_CA/

const TLS_DOC = '(docs/deploy.md#tls-mqtts)'

/**
 * Why an external broker cannot be used, on one line with what to do (docs/deploy.md): which check
 * its certificate failed and against which CA, else whether it runs and takes this stack's logins.
 * `caSetting` is how the CA is given where the line is shown (a flag of `up`, a variable).
 */
export function brokerProblem({url, caFile}: {url: string; caFile?: string}, failure: Error, caSetting: string): string {
  const at = `cannot use the broker at ${url}`
  const code = (failure as NodeJS.ErrnoException).code ?? ''
  // OpenSSL's messages run over lines and name its source files: one line, its reason only
  const error = {message: failure.message.replace(/^.*?:error:[0-9A-F]+:[^:]*:[^:]*:([^:]+):.*$/s, '$1').replace(/\s+/g, ' ').trim()}
  if (code === 'EPROTO' && new URL(url).protocol === 'mqtts:') {
    return `${at}: it does not answer in TLS there (${error.message}); if it is a plain MQTT listener, use mqtt://, else check the port ${TLS_DOC}`
  }
  const tls = TLS_DOC
  if (code === NOT_THIS_HOST) return `${at}: its certificate is not for ${new URL(url).hostname} (${error.message}); dial a name the certificate holds, or give the broker one for this name ${tls}`
  if (OUT_OF_DATE.includes(code)) return `${at}: its certificate is out of date (${error.message}); renew the broker's certificate ${tls}`
  if (UNTRUSTED.test(code)) {
    const checkedAgainst = caFile ? `the CA in ${caFile}` : 'any CA this system trusts'
    return `${at}: its certificate is not signed by ${checkedAgainst} (${error.message}); give ${caSetting} the CA (PEM) that signed the broker's certificate ${tls}`
  }
  // a TLS listener resets a plain MQTT connection at once (Mosquitto 2.0, measured here)
  if (code === 'ECONNRESET' && new URL(url).protocol === 'mqtt:') {
    return `${at}: it closed the connection at once (${error.message}), as a TLS listener does to plain MQTT; if it has TLS, use mqtts:// and ${caSetting} ${tls}`
  }
  return `${at}: ${error.message}; is it running, on the files that broker config wrote for this stack's passwords? (docs/deploy.md)`
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
