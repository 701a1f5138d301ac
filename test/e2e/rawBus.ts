import {randomBytes} from 'node:crypto'
import {readFileSync} from 'node:fs'
import path from 'node:path'

import mqtt, {type MqttClient} from 'mqtt'

import {publisherOf} from '../../src/bus/connect.js'
import {Requester} from '../../src/bus/rpc.js'
import {parseTopic, topics} from '../../src/bus/topics.js'
import {GdError} from '../../src/errors.js'

/** A plain MQTT client on a stack's broker: a peer that can ask, and also misbehave. */
export interface RawBus {
  client: MqttClient
  request<T = any>(target: string, command: string, body?: unknown, timeoutMs?: number): Promise<T>
  close(): Promise<void>
}

export interface RawBusOptions {
  reconnect?: boolean
  /**
   * Who it logs in as, with the stack's credentials (run/credentials.json): `reader` by default,
   * a daemon's role (then its client id is that daemon's with a suffix), or `none` for no login.
   */
  as?: 'reader' | 'item' | 'reservation' | 'payment' | 'view' | 'none'
  /** a client id of its own choosing (to try someone else's) */
  clientId?: string
  password?: string
}

/** The stack's broker credentials, as `up` wrote them. */
export const credentialsOf = (dataDir: string): Record<string, string> =>
  JSON.parse(readFileSync(path.join(dataDir, 'run', 'credentials.json'), 'utf8'))

export async function rawBus(dataDir: string, port: number, options: RawBusOptions = {}): Promise<RawBus> {
  const as = options.as ?? 'reader'
  const suffix = randomBytes(4).toString('hex')
  const clientId = options.clientId ?? (as === 'reader' || as === 'none' ? `test-raw-${suffix}` : `gdmarket-${as}-test-${suffix}`)
  const login = as === 'none' ? {} : {username: as, password: options.password ?? credentialsOf(dataDir)[as]}
  const client = await mqtt.connectAsync({
    host: '127.0.0.1',
    port,
    protocolVersion: 4,
    clean: true,
    clientId,
    reconnectPeriod: options.reconnect ? 200 : 0,
    connectTimeout: 2000,
    ...login,
  })
  const requester = new Requester(publisherOf(client), topics.reply(clientId))
  client.on('message', (topic, payload) => {
    if (parseTopic(topic).kind === 'reply') requester.handleReply(payload)
  })
  await client.subscribeAsync(requester.replyTopic, {qos: 1})
  return {
    client,
    request: (target, command, body = {}, timeoutMs = 3000) =>
      requester.call(target, command, body, {
        timeoutMs,
        onTimeout: () => new GdError('TIMEOUT', `${target} ${command}: no reply in ${timeoutMs} ms`, 5),
      }) as Promise<any>,
    close: async () => {
      await client.endAsync(true)
    },
  }
}
