import {describe, expect, it} from 'vitest'

import {packetGuard} from '../../src/stack/packetGuard.js'

/** An MQTT packet: type byte, remaining length as MQTT encodes it, body. */
function packet(type: number, bodyLength: number): Buffer {
  const length: number[] = []
  let n = bodyLength
  do {
    let byte = n % 128
    n = Math.floor(n / 128)
    if (n > 0) byte |= 0x80
    length.push(byte)
  } while (n > 0)
  return Buffer.concat([Buffer.from([type, ...length]), Buffer.alloc(bodyLength)])
}

describe('packet guard', () => {
  it('lets packets within the limit through, however the stream cuts them', () => {
    const seen: number[] = []
    const watch = packetGuard(() => 1000, (n) => seen.push(n))
    const stream = Buffer.concat([packet(0x10, 40), packet(0x30, 1000), packet(0xc0, 0), packet(0x30, 200)])
    for (let i = 0; i < stream.length; i += 7) watch(stream.subarray(i, i + 7))
    expect(seen).toEqual([])
  })

  it('stops at the header of a packet that declares more, before its body arrives', () => {
    const seen: number[] = []
    const watch = packetGuard(() => 64 * 1024, (n) => seen.push(n))
    watch(Buffer.from([0x10, 0xff, 0xff, 0xff, 0x7f])) // a CONNECT claiming 256 MB
    expect(seen).toEqual([268_435_455])
    watch(Buffer.alloc(1000)) // and says it once
    expect(seen).toHaveLength(1)
  })

  it('stops at a remaining length longer than MQTT allows (a fifth length byte)', () => {
    const seen: number[] = []
    packetGuard(() => Infinity, (n) => seen.push(n))(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x80, 0x01]))
    expect(seen).toHaveLength(1)
  })

  it('asks the limit per packet: it may grow after a login', () => {
    let limit = 100
    const seen: number[] = []
    const watch = packetGuard(() => limit, (n) => seen.push(n))
    watch(packet(0x10, 50))
    limit = 10_000
    watch(packet(0x30, 5000))
    expect(seen).toEqual([])
  })
})
