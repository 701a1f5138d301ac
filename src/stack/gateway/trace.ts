import {drawRandom, newUuidV7} from '../../randomIds.js'

/**
 * W3C Trace Context at the gateway (docs/deploy.md#tracing). A request's `traceparent` (or a new
 * trace) is the trace of everything it causes:
 * - the trace-id is the correlation id of a rental it starts (reserve), written as a UUID: both are
 *   32 hex digits. A new trace's id is a UUIDv7, so correlation ids stay what they were;
 * - the gateway's span gets a new span-id, which is the id of its request to the service, and so
 *   the causation id of the events that request makes;
 * - the answer carries `traceparent` with that span-id, so a client can find what its request did.
 */
export interface Trace {
  traceId: string
  /** the gateway's span: its request's id at the service */
  spanId: string
  flags: string
  /** requests sent for it so far: the first takes the span-id, any other (GET /events asks three services) one of its own */
  calls: number
}

// version-format: 2 hex digits; version 00 has exactly four fields, a later version may add more
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/
const zeros = /^0+$/

const newSpanId = (): string => {
  const id = drawRandom(8).toString('hex')
  return zeros.test(id) ? newSpanId() : id
}

/** The trace a request belongs to: its valid `traceparent`'s, else a new one (an invalid header is ignored, as the spec says). */
export function traceOf(header: string | string[] | undefined): Trace {
  const m = typeof header === 'string' ? TRACEPARENT.exec(header.trim()) : null
  const valid = m !== null && m[1] !== 'ff' && !zeros.test(m[2]) && !zeros.test(m[3]) && (m[1] !== '00' || m[5] === undefined)
  return {traceId: valid ? m[2] : newUuidV7().replaceAll('-', ''), spanId: newSpanId(), flags: valid ? m[4] : '01', calls: 0}
}

export const traceparent = (trace: Trace): string => `00-${trace.traceId}-${trace.spanId}-${trace.flags}`

/** The trace-id as a correlation id: the UUID of the same 32 hex digits. */
export const correlationIdOf = ({traceId: t}: Trace): string => `${t.slice(0, 8)}-${t.slice(8, 12)}-${t.slice(12, 16)}-${t.slice(16, 20)}-${t.slice(20)}`

/** The id of the next request made for this trace (see Trace.calls). */
export const requestIdOf = (trace: Trace): string => (trace.calls++ === 0 ? trace.spanId : newSpanId())
