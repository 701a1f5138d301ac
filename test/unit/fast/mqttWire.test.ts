import {describe, expect, it} from 'vitest'

import * as wire from '../../../src/fast/mqttWire.js'

describe('the fast path MQTT wire', () => {
  it('reads back a PUBLISH it wrote, whole or in pieces, with a remaining length of one to three bytes', () => {
    for (const size of [3, 200, 20_000]) {
      const payload = 'x'.repeat(size)
      const bytes = wire.publish(7, 'gdmarket/requests/item/show', payload)
      for (const pieces of [1, 2, 5]) {
        const reader = new wire.PacketReader()
        const step = Math.ceil(bytes.length / pieces)
        const packets = []
        for (let i = 0; i < bytes.length; i += step) packets.push(...reader.push(bytes.subarray(i, i + step)))
        expect(packets).toHaveLength(1)
        expect(wire.readPublish(packets[0])).toEqual({
          topic: 'gdmarket/requests/item/show',
          qos: 1,
          messageId: 7,
          payload: Buffer.from(payload),
        })
      }
    }
  })

  it('splits packets that came in one chunk, and keeps an unfinished one for the next', () => {
    const reader = new wire.PacketReader()
    const connack = Buffer.from([0x20, 2, 0, 0])
    const suback = Buffer.from([0x90, 4, 0, 1, 1, 0])
    const both = Buffer.concat([connack, suback, wire.puback(9).subarray(0, 2)])
    expect(reader.push(both).map((p) => p.type)).toEqual([wire.PacketType.connack, wire.PacketType.suback])
    expect(reader.push(wire.puback(9).subarray(2)).map((p) => [p.type, p.body.readUInt16BE(0)])).toEqual([[wire.PacketType.puback, 9]])
  })

  it('builds CONNECT and SUBSCRIBE as MQTT 3.1.1 has them', () => {
    expect([...wire.connect('c1')]).toEqual([0x10, 14, 0, 4, 77, 81, 84, 84, 4, 2, 0, 0, 0, 2, 99, 49])
    expect([...wire.subscribe(1, [{topic: 'a', qos: 1}, {topic: 'b', qos: 0}])]).toEqual([0x82, 10, 0, 1, 0, 1, 97, 1, 0, 1, 98, 0])
    expect([...wire.disconnect()]).toEqual([0xe0, 0])
  })

  it('refuses a remaining length longer than four bytes', () => {
    expect(() => new wire.PacketReader().push(Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01]))).toThrow(/remaining length/)
  })
})
