import {randomBytes} from 'node:crypto'

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

export async function rawBus(port: number, options: {reconnect?: boolean} = {}): Promise<RawBus> {
  const clientId = `test-raw-${randomBytes(4).toString('hex')}`
  const client = await mqtt.connectAsync({
    host: '127.0.0.1',
    port,
    protocolVersion: 4,
    clean: true,
    clientId,
    reconnectPeriod: options.reconnect ? 200 : 0,
    connectTimeout: 2000,
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
