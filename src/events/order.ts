import type {Envelope} from '../bus/events.js'

/**
 * Events of several services in one order: by `time`, then by `id` (UUIDv7, so sortable) for
 * events stamped in the same millisecond. Clocks are those of one machine, so time order is the
 * order things happened, to the millisecond.
 */
export function compareEvents(a: Envelope, b: Envelope): number {
  return a.time < b.time ? -1 : a.time > b.time ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}

/** Merges per-service histories; with a limit, keeps the last `limit` events overall. */
export function mergeHistories(histories: Envelope[][], limit?: number): Envelope[] {
  const merged = histories.flat().sort(compareEvents)
  return limit === undefined ? merged : merged.slice(-limit)
}

export interface EventFilter {
  types?: string[]
  sources?: string[]
  correlationId?: string
}

/** The same filters for the history and for live events. */
export function matchesFilter(e: Envelope, {types, sources, correlationId}: EventFilter): boolean {
  return (
    (!types?.length || types.includes(e.type)) &&
    (!sources?.length || sources.includes(e.source)) &&
    (correlationId === undefined || e.correlationId === correlationId)
  )
}

export type TracedEvent = Envelope & {sinceFirstMs: number}

/** Each event with the time since the first one (events must be in order). */
export function withSinceFirst(events: Envelope[]): TracedEvent[] {
  const first = events.length > 0 ? Date.parse(events[0].time) : 0
  return events.map((e) => ({...e, sinceFirstMs: Date.parse(e.time) - first}))
}
