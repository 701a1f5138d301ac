/**
 * The few MQTT 3.1.1 packets one request needs (CONNECT, SUBSCRIBE, PUBLISH, PUBACK, DISCONNECT
 * out; CONNACK, SUBACK, PUBLISH, PUBACK in), for the CLI's fast path. mqtt.js does all of this and
 * more, but importing it costs 50–125 ms here, and mqtt-packet alone (through its stream
 * dependencies) 15–35 ms: more than the whole budget of a cold command. The spec's sections are
 * named where each packet is built.
 */

export const PacketType = {connack: 2, publish: 3, puback: 4, suback: 9} as const

export interface Packet {
  type: number
  flags: number
  body: Buffer
}

export interface Publish {
  topic: string
  qos: number
  messageId?: number
  payload: Buffer
}

const utf8 = (text: string) => {
  const bytes = Buffer.from(text, 'utf8')
  return Buffer.concat([uint16(bytes.length), bytes])
}

const uint16 = (n: number) => Buffer.from([n >> 8, n & 0xff])

/** §2.2.3: the remaining length, 7 bits a byte, low bits first. */
function remainingLength(n: number): Buffer {
  const bytes: number[] = []
  do {
    let byte = n % 128
    n = Math.floor(n / 128)
    if (n > 0) byte |= 0x80
    bytes.push(byte)
  } while (n > 0)
  return Buffer.from(bytes)
}

const packet = (first: number, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts)
  return Buffer.concat([Buffer.from([first]), remainingLength(body.length), body])
}

/** §3.1: protocol level 4, clean session, no will, no credentials; keep-alive 0 = none (one request, no pings). */
export const connect = (clientId: string, keepAliveSeconds = 0) =>
  packet(0x10, utf8('MQTT'), Buffer.from([4, 0x02]), uint16(keepAliveSeconds), utf8(clientId))

/** §3.8: the reserved flags are 0b0010. */
export const subscribe = (messageId: number, subscriptions: {topic: string; qos: number}[]) =>
  packet(0x82, uint16(messageId), ...subscriptions.flatMap(({topic, qos}) => [utf8(topic), Buffer.from([qos])]))

/** §3.3, at QoS 1. */
export const publish = (messageId: number, topic: string, payload: string) =>
  packet(0x32, utf8(topic), uint16(messageId), Buffer.from(payload, 'utf8'))

/** §3.4 */
export const puback = (messageId: number) => packet(0x40, uint16(messageId))

/** §3.14 */
export const disconnect = () => Buffer.from([0xe0, 0])

/** Splits a byte stream into packets; bytes of a packet not yet complete wait for the next chunk. */
export class PacketReader {
  private pending: Buffer = Buffer.alloc(0)

  push(chunk: Buffer): Packet[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk
    const packets: Packet[] = []
    for (;;) {
      let length = 0
      let multiplier = 1
      let i = 1
      for (; ; i++) {
        if (i >= this.pending.length) return packets
        if (i > 4) throw new Error('malformed MQTT packet: remaining length longer than 4 bytes')
        const byte = this.pending[i]
        length += (byte & 0x7f) * multiplier
        multiplier *= 128
        if ((byte & 0x80) === 0) break
      }
      const start = i + 1
      if (this.pending.length < start + length) return packets
      const first = this.pending[0]
      packets.push({type: first >> 4, flags: first & 0x0f, body: this.pending.subarray(start, start + length)})
      this.pending = this.pending.subarray(start + length)
    }
  }
}

/** §3.3: the topic, the message id (QoS 1 and 2 only) and the payload of a PUBLISH. */
export function readPublish({flags, body}: Packet): Publish {
  const qos = (flags >> 1) & 0x03
  const topicLength = body.readUInt16BE(0)
  const topic = body.toString('utf8', 2, 2 + topicLength)
  let offset = 2 + topicLength
  let messageId: number | undefined
  if (qos > 0) {
    messageId = body.readUInt16BE(offset)
    offset += 2
  }
  return {topic, qos, messageId, payload: body.subarray(offset)}
}
