import type {Writable} from 'node:stream'

/**
 * At most this many bytes of one stream wait in the gateway for its reader (docs/http-api.md,
 * "Events and server-sent events"). A reader that falls further behind is dropped: the gateway
 * shares the supervisor's process with the broker, and a reader that stopped reading would
 * otherwise hold every event from then on in its memory. 1 MiB is some 3,000 events.
 */
export const MAX_STREAM_BUFFER = 1024 * 1024

/** How long a stream that is ended (dropped, or the gateway closing) has to take its last bytes before its connection is cut. */
export const END_GRACE_MS = 5000

export interface EventStream {
  /** Writes one server-sent event; false once the stream is gone (the reader left, or was dropped). */
  send(event: string, data: unknown): boolean
  /** Resolves once the reader has taken what waits (true), or the stream is gone (false): for a long history. */
  drained(): Promise<boolean>
  /** Ends the stream with a last `event: dropped` that says why. */
  drop(code: string, message: string): void
  /** Ends the stream (the gateway closes); a reader that does not take the end is cut after END_GRACE_MS. */
  end(): void
  /** Resolves when the stream is gone: the reader left, or it was dropped or ended. */
  readonly gone: Promise<void>
}

/** Server-sent events on `out` (a response whose headers are sent), never more than `limit` bytes behind its reader. */
export function eventStream(out: Writable, limit = MAX_STREAM_BUFFER): EventStream {
  let isGone = false
  let wake: (() => void) | undefined
  let markGone!: () => void
  const gone = new Promise<void>((resolve) => (markGone = resolve))
  const leave = () => {
    if (isGone) return
    isGone = true
    markGone()
    wake?.()
  }
  out.once('close', leave)
  out.on('drain', () => wake?.())
  const finish = (last?: string) => {
    if (isGone) return
    leave()
    out.end(last)
    const cut = setTimeout(() => out.destroy(), END_GRACE_MS).unref()
    for (const done of ['finish', 'close']) out.once(done, () => clearTimeout(cut))
  }
  const stream: EventStream = {
    send(event, data) {
      if (isGone) return false
      const text = `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`
      // checked before the write: what waits never passes the limit, however big one event is
      if (out.writableLength + Buffer.byteLength(text) > limit) {
        stream.drop('SLOW_READER', `this stream's reader fell more than ${limit} bytes behind, so the gateway dropped it to spare the stack's memory; read events as they come, or follow fewer (type, source, correlationId)`)
        return false
      }
      out.write(text)
      return true
    },
    drained() {
      if (isGone) return Promise.resolve(false)
      if (!out.writableNeedDrain) return Promise.resolve(true)
      return new Promise((resolve) => {
        wake = () => {
          wake = undefined
          resolve(!isGone)
        }
      })
    },
    drop: (code, message) => finish(`event: dropped\ndata: ${JSON.stringify({error: {code, message}})}\n\n`),
    end: () => finish(),
    gone,
  }
  return stream
}
