import {Low, type Adapter} from 'lowdb'
import {TextFile} from 'lowdb/node'
import writeFileAtomic from 'write-file-atomic'
import {z} from 'zod'

import type {Envelope} from '../bus/events.js'
import {GdError, Exit} from '../errors.js'
import {hasApplied, recordApplied, type Inbox} from './inbox.js'

/**
 * One service's lowdb file. A state change, the events it causes (the outbox) and the inbox marks
 * of the events it applied are written together in one write, so no crash can separate them.
 * This module is the only code that touches the file: a later storage design changes only here.
 */
export interface StoreDoc<S> {
  format: 1
  state: S
  /** every event this service produced, in seq order; those above publishedSeq are the outbox */
  events: Envelope[]
  publishedSeq: number
  inbox: Inbox
  /** events that could not be applied after every attempt; reported by `gdmarket status` */
  deadLetters?: DeadLetter[]
  /** events that arrived ahead of their source's next seq, kept until the gap before them is filled */
  held?: Record<string, Envelope[]>
}

export interface DeadLetter {
  event: Envelope
  error: string
  attempts: number
  at: string
}

const docShape = z.object({
  format: z.literal(1),
  state: z.record(z.string(), z.unknown()),
  events: z.array(z.object({seq: z.number()}).loose()),
  publishedSeq: z.number(),
  inbox: z.record(z.string(), z.object({upTo: z.number(), above: z.array(z.number())})),
  deadLetters: z.array(z.unknown()).optional(),
  held: z.record(z.string(), z.array(z.object({seq: z.number()}).loose())).optional(),
})

/**
 * lowdb's own file adapter renames a temp file into place but never fsyncs, so an acknowledged
 * write could vanish with the page cache. write-file-atomic writes a temp file, fsyncs it, then
 * renames it: the store on disk is always the old document or the new one, and the new one is on
 * disk before a command is acknowledged.
 */
class DurableJsonFile<T> implements Adapter<T> {
  constructor(private readonly file: string) {}

  async read(): Promise<T | null> {
    const text = await new TextFile(this.file).read()
    return text === null ? null : (JSON.parse(text) as T)
  }

  async write(data: T): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(data), {fsync: true})
  }
}

export interface Commit<S> {
  state: S
  events?: Envelope[]
  /** the incoming event this change applies, recorded in the inbox */
  applied?: {source: string; seq: number}
  deadLetter?: DeadLetter
  /** an event that came early: kept, and acknowledged, until its turn */
  hold?: Envelope
}

export class ServiceStore<S> {
  private constructor(
    private readonly db: Low<StoreDoc<S>>,
    readonly file: string,
  ) {}

  /** Reads the store; one that cannot be parsed is reported and left byte-for-byte untouched. */
  static async open<S>(name: string, file: string, initialState: () => S): Promise<ServiceStore<S>> {
    const adapter = new DurableJsonFile<StoreDoc<S>>(file)
    const unreadable = (why: string) =>
      new GdError(
        'STORE_UNREADABLE',
        `the ${name} store ${file} cannot be read (${why}); it was left untouched: repair it or move it away, then start again`,
        Exit.unavailable,
      )
    // read the text, not Low.read(): that one takes a file holding `null` for a missing file
    let text: string | null
    let stored: unknown
    try {
      text = await new TextFile(file).read()
      stored = text === null ? null : JSON.parse(text)
    } catch (error) {
      throw unreadable((error as Error).message)
    }
    if (text !== null) {
      const shape = docShape.safeParse(stored)
      if (!shape.success) throw unreadable(`not a gdmarket store: ${shape.error.issues[0]?.path.join('.') || 'top level'} is wrong`)
    }
    const fresh: StoreDoc<S> = {format: 1, state: initialState(), events: [], publishedSeq: 0, inbox: {}}
    const db = new Low<StoreDoc<S>>(adapter, (stored as StoreDoc<S> | null) ?? fresh)
    return new ServiceStore(db, file)
  }

  get state(): S {
    return this.db.data.state
  }

  get lastSeq(): number {
    return this.db.data.events.at(-1)?.seq ?? 0
  }

  get deadLetters(): readonly DeadLetter[] {
    return this.db.data.deadLetters ?? []
  }

  get events(): readonly Envelope[] {
    return this.db.data.events
  }

  hasApplied(source: string, seq: number): boolean {
    return hasApplied(this.db.data.inbox, source, seq)
  }

  /** The highest seq of `source` up to which every event has been applied. */
  appliedUpTo(source: string): number {
    return this.db.data.inbox[source]?.upTo ?? 0
  }

  /** Events of `source` that came early, oldest first. */
  held(source: string): readonly Envelope[] {
    return this.db.data.held?.[source] ?? []
  }

  /** The sources with early events waiting for a gap to fill. */
  get sourcesWithGaps(): string[] {
    return Object.entries(this.db.data.held ?? {})
      .filter(([, events]) => events.length > 0)
      .map(([source]) => source)
  }

  async commit({state, events = [], applied, deadLetter, hold}: Commit<S>): Promise<void> {
    const data = this.db.data
    data.state = state
    data.events.push(...events)
    if (applied) {
      data.inbox = recordApplied(data.inbox, applied.source, applied.seq)
      const held = data.held?.[applied.source]
      if (held?.some((e) => e.seq === applied.seq)) data.held![applied.source] = held.filter((e) => e.seq !== applied.seq)
    }
    if (deadLetter) data.deadLetters = [...(data.deadLetters ?? []), deadLetter]
    if (hold) {
      const held = (data.held ??= {})
      held[hold.source] = [...(held[hold.source] ?? []), hold].sort((a, b) => a.seq - b.seq)
    }
    await this.db.write()
  }

  /** Events not yet acknowledged by the broker, oldest first. */
  unpublished(): Envelope[] {
    const {events, publishedSeq} = this.db.data
    let i = events.length
    while (i > 0 && events[i - 1].seq > publishedSeq) i--
    return events.slice(i)
  }

  /**
   * Kept in memory and saved with the next write: after a crash the relay publishes a few events
   * again, and consumers' inboxes drop the duplicates.
   */
  markPublished(seq: number): void {
    this.db.data.publishedSeq = Math.max(this.db.data.publishedSeq, seq)
  }

  get publishedSeq(): number {
    return this.db.data.publishedSeq
  }

  async flush(): Promise<void> {
    await this.db.write()
  }
}
