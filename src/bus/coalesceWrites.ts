import type {Duplex} from 'node:stream'

/** streams already wrapped: a reconnecting client may hand the same one again */
const coalesced = new WeakSet<Duplex>()

/**
 * Writes to one socket within one turn of the event loop leave as one `writev`. mqtt-packet
 * coalesces a packet's pieces, but every packet still cost a syscall of its own, and on loopback a
 * send also runs the receiving side's work: writev was 61.6 % of the broker's CPU under load, and
 * a daemon's reply, its event and the acknowledgements of what it read go out in the same turn.
 */
export function coalesceWrites(stream: Duplex): void {
  if (coalesced.has(stream)) return
  coalesced.add(stream)
  let corked = false
  const uncork = () => {
    corked = false
    stream.uncork()
  }
  const write = stream.write
  stream.write = function (this: Duplex, ...args: Parameters<Duplex['write']>) {
    if (!corked) {
      corked = true
      stream.cork()
      setImmediate(uncork)
    }
    return write.apply(this, args)
  } as Duplex['write']
}
