import {eventSource, type EventType} from '../../bus/eventTypes.js'
import {parseLiveness} from '../../bus/liveness.js'
import {parseTopic, services, type ServiceName} from '../../bus/topics.js'
import type {Frontier} from '../../runtime/barrier.js'

/**
 * The highest event seq per service that the broker has accepted. The broker reports each message
 * before it acknowledges the publisher (aedes' authorizePublish), so a change that anyone has been
 * told about is inside the frontier by then. An online announcement carries the service's last
 * seq, which covers what it stored before the broker (re)started.
 */
export class EventFrontier {
  private readonly seqs: Record<ServiceName, number> = {item: 0, reservation: 0, payment: 0}

  /** For the broker's `authorizePublish` hook: cheap for anything that is not an event or a liveness message. */
  observe(topic: string, payload: Buffer): void {
    const {kind, parts} = parseTopic(topic)
    if (kind !== 'event' && kind !== 'status') return
    const source = parts[0] as ServiceName
    if (!services.includes(source)) return
    const seq = kind === 'event' ? seqOf(source, payload) : parseLiveness(payload)?.seq
    if (seq !== undefined && seq > this.seqs[source]) this.seqs[source] = seq
  }

  /** What a request carries: a copy, so later events do not change a request already sent. */
  snapshot(): Frontier {
    return {...this.seqs}
  }
}

/**
 * The seq of an event of this source, as its consumers will take it: a known type of that source
 * and a whole positive seq. Requests wait for the frontier (and are refused when it is not
 * reached), so a malformed message on a source's topic must not move it: a near-miss with seq 5
 * once held every read of the item service. (The full schema is the consumers' to check; this runs
 * for every event the broker accepts.)
 */
function seqOf(source: ServiceName, payload: Buffer): number | undefined {
  try {
    const {type, seq} = JSON.parse(payload.toString()) as {type?: unknown; seq?: unknown}
    const ours = typeof type === 'string' && Object.hasOwn(eventSource, type) && eventSource[type as EventType] === source
    return ours && Number.isSafeInteger(seq) && (seq as number) > 0 ? (seq as number) : undefined
  } catch {
    return undefined
  }
}
