/**
 * aedes' parser takes any packet length a client declares and buffers it all: before any login,
 * a header claiming 256 MB made the supervisor hold hundreds of megabytes. This watches the bytes
 * as aedes reads them, walks MQTT's framing (a type byte, the remaining length in 1–4 bytes of 7
 * bits, the body) and calls `tooBig` as soon as a packet declares more than `limit()` allows
 * (asked per packet: the limit grows once a connection has logged in).
 */
export function packetGuard(limit: () => number, tooBig: (declared: number) => void): (chunk: Buffer) => void {
  let state: 'type' | 'length' | 'body' = 'type'
  let length = 0
  let shift = 0
  let left = 0
  let stopped = false
  return (chunk) => {
    for (let i = 0; i < chunk.length && !stopped; ) {
      if (state === 'type') {
        i++
        ;[state, length, shift] = ['length', 0, 0]
      } else if (state === 'length') {
        const byte = chunk[i++]
        length += (byte & 0x7f) * 2 ** shift
        shift += 7
        if (byte & 0x80 && shift < 28) continue
        if (byte & 0x80 || length > limit()) {
          stopped = true
          tooBig(length)
        } else [state, left] = length === 0 ? ['type', 0] : ['body', length]
      } else {
        const taken = Math.min(left, chunk.length - i)
        i += taken
        left -= taken
        if (left === 0) state = 'type'
      }
    }
  }
}
