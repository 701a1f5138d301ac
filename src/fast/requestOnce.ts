import {randomBytes, randomUUID} from 'node:crypto'
import net from 'node:net'

import type {StackInfo} from '../broker/stackFile.js'
import {topics} from '../bus/topics.js'
import {GdError, type WireError} from '../errors.js'
import {LIVENESS_WAIT_MS, noBroker, noReply, serviceDown} from '../cli/stackAccess.js'
import * as wire from './mqttWire.js'

const SUBSCRIBED = 1
const REQUEST = 2
/** as StackClient's connectTimeout */
const CONNECT_TIMEOUT_MS = 3000

/**
 * One request to a service of the running stack over one short MQTT connection, as StackClient
 * sends it (src/cli/stackClient.ts, src/bus/rpc.ts): the service's retained liveness first — one
 * known to be down fails at once — then the request with its reply topic and deadline, then the
 * reply. Every failure is the GdError StackClient would raise.
 */
export function requestOnce(stack: StackInfo, target: string, command: string, body: unknown, timeoutMs: number): Promise<unknown> {
  const clientId = `gdmarket-cli-${randomBytes(6).toString('hex')}`
  const replyTo = topics.reply(clientId)
  const statusTopic = topics.status(target)
  const requestId = randomUUID()

  return new Promise((resolve, reject) => {
    const socket = stack.socket ? net.createConnection({path: stack.socket}) : net.createConnection({port: stack.port, host: '127.0.0.1'})
    const reader = new wire.PacketReader()
    let connected = false
    let asked = false
    let settled = false
    // until the request is out: connecting (as StackClient's connectTimeout) and the liveness wait
    let timer = setTimeout(() => finish(noBroker(stack.port)), CONNECT_TIMEOUT_MS)

    const finish = (error: Error | null, result?: unknown) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      // a broker that went silent would never close its side: ours closes either way
      if (connected) socket.end(wire.disconnect(), () => socket.destroy())
      else socket.destroy()
      if (error) reject(error)
      else resolve(result)
    }
    const ask = () => {
      if (asked) return
      asked = true
      clearTimeout(timer)
      timer = setTimeout(() => finish(noReply(target, timeoutMs)), timeoutMs)
      const request = {id: requestId, replyTo, deadline: Date.now() + timeoutMs, body}
      socket.write(wire.publish(REQUEST, topics.request(target, command), JSON.stringify(request)))
    }

    socket.setNoDelay?.(true)
    socket.on('error', () => finish(asked ? noReply(target, timeoutMs) : noBroker(stack.port)))
    socket.on('close', () => finish(asked ? noReply(target, timeoutMs) : noBroker(stack.port)))
    socket.on('connect', () => socket.write(wire.connect(clientId)))
    socket.on('data', (chunk) => {
      let packets: wire.Packet[]
      try {
        packets = reader.push(chunk)
      } catch {
        return finish(noBroker(stack.port))
      }
      for (const packet of packets) {
        if (packet.type === wire.PacketType.connack) {
          if (packet.body[1] !== 0) return finish(noBroker(stack.port))
          connected = true
          socket.write(wire.subscribe(SUBSCRIBED, [{topic: replyTo, qos: 1}, {topic: statusTopic, qos: 0}]))
        } else if (packet.type === wire.PacketType.suback && packet.body.subarray(2).includes(0x80)) {
          // refused (not our broker's way): no GdError, so the oclif command is run instead
          return finish(new Error('subscription refused'))
        } else if (packet.type === wire.PacketType.suback && !asked) {
          // a retained liveness comes right after; without one (never announced), ask anyway
          clearTimeout(timer)
          timer = setTimeout(ask, LIVENESS_WAIT_MS)
        } else if (packet.type === wire.PacketType.publish) {
          const message = wire.readPublish(packet)
          if (message.messageId !== undefined) socket.write(wire.puback(message.messageId))
          const data = parseJson(message.payload) as Record<string, unknown> | undefined
          if (message.topic === statusTopic && !asked) {
            if (typeof data?.state !== 'string') continue // not a liveness message: as StackClient, wait on
            if (data.state !== 'online') return finish(serviceDown(target, data.state))
            ask()
          } else if (message.topic === replyTo && data?.id === requestId) {
            if (data.ok === true) return finish(null, data.result)
            if (isWireError(data.error)) return finish(GdError.fromWire(data.error))
          }
        }
      }
    })
  })
}

const isWireError = (e: unknown): e is WireError =>
  typeof e === 'object' && e !== null && typeof (e as WireError).code === 'string' && typeof (e as WireError).message === 'string' && [2, 3, 4, 5].includes((e as WireError).exit)

function parseJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString('utf8'))
  } catch {
    return undefined
  }
}
