import type {Envelope} from '../bus/events.js'
import {recordApplied, type Inbox} from './inbox.js'

/**
 * What a service's store holds, whichever kind keeps it on disk (docs/storage.md): the state, the
 * events it made (the outbox), what it applied (the inbox), early events and dead letters. The
 * whole of it lives in memory; a store kind keeps it durable, one commit at a time.
 */
export interface StoreDoc<S> {
  format: 1
  state: S
  /** every event this service produced, in seq order; those above publishedSeq are the outbox */
  events: Envelope[]
  publishedSeq: number
  inbox: Inbox
  /** events that could not be applied after every attempt; reported by the stack's status */
  deadLetters?: DeadLetter[]
  /** events that arrived ahead of their source's next seq, kept until the gap before them is filled */
  held?: Record<string, Envelope[]>
  /** the last commit (journal record) this document includes */
  journalN?: number
}

export interface DeadLetter {
  event: Envelope
  error: string
  attempts: number
  at: string
}

/** What one commit changed: one journal line, or one journal row. */
export interface JournalRecord {
  n: number
  /** the incoming event applied */
  in?: Envelope
  dl?: DeadLetter
  /** events this service produced */
  own?: Envelope[]
  hold?: Envelope
  /** a source whose held events were let go: its producer has no such events */
  unhold?: string
  pub?: number
}

export const emptyDoc = <S>(state: S): StoreDoc<S> => ({format: 1, state, events: [], publishedSeq: 0, inbox: {}, journalN: 0})

/** The state a record leads to: its incoming event, then its own events, through the service's `evolve`. */
export function evolveRecord<S>(state: S, r: JournalRecord, evolve: (state: S, event: Envelope) => S): S {
  let next = r.in ? evolve(state, r.in) : state
  for (const e of r.own ?? []) next = evolve(next, e)
  return next
}

/** The bookkeeping every commit does, live or replayed: inbox, held events, dead letters, outbox. */
export function record<S>(doc: StoreDoc<S>, r: JournalRecord): void {
  const applied = appliedBy(r)
  if (applied) {
    doc.inbox = recordApplied(doc.inbox, applied.source, applied.seq)
    const held = doc.held?.[applied.source]
    if (held?.some((e) => e.seq === applied.seq)) doc.held![applied.source] = held.filter((e) => e.seq !== applied.seq)
  }
  if (r.dl) doc.deadLetters = [...(doc.deadLetters ?? []), r.dl]
  if (r.own) doc.events.push(...r.own)
  if (r.hold) {
    const held = (doc.held ??= {})
    held[r.hold.source] = [...(held[r.hold.source] ?? []), r.hold].sort((a, b) => a.seq - b.seq)
  }
  if (r.unhold !== undefined && doc.held) delete doc.held[r.unhold]
  if (r.pub !== undefined) doc.publishedSeq = Math.max(doc.publishedSeq, r.pub)
  doc.journalN = r.n
}

/** The incoming event a record marks as applied: applied, or given up on as a dead letter. */
export const appliedBy = (r: JournalRecord): Envelope | undefined => r.in ?? r.dl?.event

/** The events of another service a record holds whole: what a follower can give back to a store that lost them. */
export const witnessedIn = (r: JournalRecord): (Envelope | undefined)[] => [r.in, r.hold, r.dl?.event]
