import {readFileSync} from 'node:fs'

import mqtt, {type IClientOptions, type MqttClient} from 'mqtt'

import {coalesceWrites} from './coalesceWrites.js'
import type {Publish} from './rpc.js'

/**
 * Where the stack's broker listens: always TCP on 127.0.0.1:port (for any MQTT client), and a Unix
 * socket in the data directory that gdmarket's own processes prefer: on loopback TCP every send
 * also runs the receiver's TCP work, and socket writes were most of the broker's CPU.
 */
export interface BrokerAddress {
  port: number
  socket?: string
  /** an external broker instead (`brokerUrl`, docs/deploy.md): mqtt://HOST:PORT or mqtts://… */
  url?: string
  /** the CA (PEM) an mqtts:// broker's certificate is checked against */
  caFile?: string
}

/**
 * An external broker is spoken to in MQTT 5: Mosquitto answers a refused publish with a reason code
 * there, while under 3.1.1 it acknowledges it as taken and drops it (docs/deploy.md). A session
 * asked to persist (`clean: false`) must then say for how long, or it ends with the connection.
 */
function whereAndHow({port, socket, url, caFile}: BrokerAddress, options: IClientOptions): IClientOptions {
  if (!url) return {...(socket ? {protocol: 'mqtt', unixSocket: true, path: socket} : {host: '127.0.0.1', port}), protocolVersion: 4} // aedes 1.x speaks MQTT 3.1.1 only
  const keep = options.clean === false ? {sessionExpiryInterval: 0xffffffff} : {} // never expires, as a 3.1.1 session
  return {protocolVersion: 5, ...(caFile ? {ca: readFileSync(caFile)} : {}), properties: {...keep, ...options.properties}}
}

/**
 * Connects to the stack's broker. `writeCache: false`: mqtt-packet would otherwise fill a table of
 * 65,536 two-byte Buffers on the first write (6.6 MB of heap in every process, a fifth of a
 * daemon's private memory); the switch is module-wide, so aedes in the supervisor skips it too.
 * Nagle's algorithm is turned off on every (re)connected socket:
 * with it, each request/reply waited ~88 ms for delayed ACKs instead of ~0.2 ms (measured here).
 */
export async function connectBus(
  address: BrokerAddress,
  options: IClientOptions,
  /** runs before the first packet arrives: queued messages of a persistent session come right after CONNACK */
  setup?: (client: MqttClient) => void,
): Promise<MqttClient> {
  const how = {...whereAndHow(address, options), writeCache: false}
  const client = address.url ? mqtt.connect(address.url, {...options, ...how}) : mqtt.connect({...how, ...options})
  setup?.(client)
  const noDelay = () => (client.stream as {setNoDelay?: (on: boolean) => void} | undefined)?.setNoDelay?.(true)
  client.on('connect', noDelay)
  client.on('connect', () => coalesceWrites(client.stream))
  await new Promise<void>((resolve, reject) => {
    const settle = (error?: Error) => {
      client.off('connect', onConnect)
      client.off('error', onError)
      client.off('close', onClose)
      if (!error) return resolve()
      client.end(true)
      reject(error)
    }
    const onConnect = () => settle()
    const onError = (error: Error) => settle(error)
    // a refused connection emits only 'close'
    const onClose = () => settle(new Error(`cannot connect to the broker at ${address.url ?? address.socket ?? `port ${address.port}`}`))
    client.on('connect', onConnect)
    client.on('error', onError)
    client.on('close', onClose)
  })
  return client
}

/** Requests and replies over an MQTT connection: QoS 1, settled on the broker's PUBACK. */
export const publisherOf =
  (client: MqttClient): Publish =>
  async (topic, payload, options) => {
    await client.publishAsync(topic, payload, {qos: options?.qos ?? 1})
  }
