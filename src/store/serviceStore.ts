import {Low, type Adapter} from 'lowdb'
import {TextFile} from 'lowdb/node'
import writeFileAtomic from 'write-file-atomic'
import {z} from 'zod'

import type {Envelope} from '../bus/events.js'
import {GdError, Exit} from '../errors.js'
import {hasApplied, recordApplied, type Inbox} from './inbox.js'
import {Journal, type JournalTail} from './journal.js'

/** What follows the journal's last whole line, as the daemon judges it (src/runtime/storeVerdict.ts). */
export interface StoreTail {
  kind: JournalTail<unknown>['kind']
  bytes: number
  /** the seqs of this service's own events in an unterminated record: what a follower may have seen */
  ownSeqs: number[]
}

/** What a follower has applied of one source: the inbox mark, and the events it holds early. */
export interface SeenMark {
  upTo: number
  above: number[]
  held: number[]
}

/**
 * One service's store: a lowdb snapshot (`<name>.json`) plus an append-only journal
 * (`<name>.journal`) of what changed since. A commit — the events a change caused (the outbox),
 * the incoming event it applied (the inbox mark) — is one journal line, fsynced in groups, so its
 * cost does not grow with the store; the snapshot is rewritten only now and then. Opening the
 * store replays the journal over the snapshot with the service's own `evolve`.
 * This module is the only code that touches the files.
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
  /** the last journal record this snapshot includes */
  journalN?: number
}

export interface DeadLetter {
  event: Envelope
  error: string
  attempts: number
  at: string
}

/** One journal line: what one commit changed. */
interface JournalRecord {
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

export interface Commit<S> {
  /** the state after the change: the caller evolved it (replay does the same with `evolve`) */
  state: S
  events?: Envelope[]
  /** the incoming event this change applies, recorded in the inbox */
  incoming?: Envelope
  deadLetter?: DeadLetter
  /** an event that came early: kept, and acknowledged, until its turn */
  hold?: Envelope
  /** lets go of every event held for this source */
  unhold?: string
}

/** A snapshot after this many journal records, or this many bytes of journal. */
const SNAPSHOT_EVERY_RECORDS = 20_000
const SNAPSHOT_EVERY_BYTES = 32 * 1024 * 1024

const docShape = z.object({
  format: z.literal(1),
  state: z.record(z.string(), z.unknown()),
  events: z.array(z.object({seq: z.number()}).loose()),
  publishedSeq: z.number(),
  inbox: z.record(z.string(), z.object({upTo: z.number(), above: z.array(z.number())})),
  deadLetters: z.array(z.unknown()).optional(),
  held: z.record(z.string(), z.array(z.object({seq: z.number()}).loose())).optional(),
  journalN: z.number().optional(),
})

/**
 * lowdb's own file adapter renames a temp file into place but never fsyncs. write-file-atomic
 * writes a temp file, fsyncs it, then renames it: the snapshot on disk is the old one or the new one.
 */
class DurableJsonFile<T> implements Adapter<T> {
  constructor(private readonly file: string) {}

  async read(): Promise<T | null> {
    const text = await new TextFile(this.file).read()
    return text === null ? null : (JSON.parse(text) as T)
  }

  async write(data: T): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(data), {fsync: true, mode: 0o600})
  }
}

/** The bookkeeping every commit does, live or replayed: inbox, held events, dead letters, outbox. */
function record<S>(doc: StoreDoc<S>, r: JournalRecord): void {
  const applied = r.in ?? r.dl?.event
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

export class ServiceStore<S> {
  private journal!: Journal<JournalRecord>
  /** what opening it found and set right, for the daemon's log */
  readonly openNotes: string[] = []
  private recordsSinceSnapshot = 0
  private replay: (r: JournalRecord) => void = () => {}
  /** the journal's unterminated last record, not replayed until the daemon keeps it */
  private pendingTail: JournalRecord | undefined
  private tailFound: JournalTail<JournalRecord> | undefined
  private durableUpTo: number
  private savedPublishedSeq: number
  /** called when more of the outbox is on disk (the relay may publish it) */
  onDurable: () => void = () => {}

  private constructor(
    private readonly db: Low<StoreDoc<S>>,
    readonly file: string,
  ) {
    this.durableUpTo = this.lastSeq
    this.savedPublishedSeq = db.data.publishedSeq
  }

  /** Reads the store; one that cannot be read is reported and left byte-for-byte untouched. */
  static async open<S>(
    name: string,
    file: string,
    initialState: () => S,
    evolve: (state: S, event: Envelope) => S,
  ): Promise<ServiceStore<S>> {
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
    const fresh: StoreDoc<S> = {format: 1, state: initialState(), events: [], publishedSeq: 0, inbox: {}, journalN: 0}
    const doc = (stored as StoreDoc<S> | null) ?? fresh
    const db = new Low<StoreDoc<S>>(new DurableJsonFile<StoreDoc<S>>(file), doc)
    const store = new ServiceStore(db, file)

    let opened: {journal: Journal<JournalRecord>; records: JournalRecord[]; tail?: JournalTail<JournalRecord>}
    try {
      opened = await Journal.open<JournalRecord>(store.journalFile, () => store.snapshotIfDue())
    } catch (error) {
      throw unreadable((error as Error).message)
    }
    store.journal = opened.journal
    store.replay = (r) => {
      if (r.in) doc.state = evolve(doc.state, r.in)
      for (const e of r.own ?? []) doc.state = evolve(doc.state, e)
      record(doc, r)
      store.recordsSinceSnapshot++
    }
    const numbered = doc.journalN !== undefined // (a snapshot from before records were numbered: not checked)
    for (const r of opened.records) {
      if (r.n <= (doc.journalN ?? 0)) continue // already in the snapshot
      // a journal that does not go on from its snapshot is another store's (a snapshot put back alone)
      if (numbered && r.n !== doc.journalN! + 1) {
        await opened.journal.close()
        throw unreadable(`${store.journalFile} goes on from record ${r.n - 1} but the snapshot ends at record ${doc.journalN}: they are not one store; move one of them away`)
      }
      store.replay(r)
    }
    if (opened.tail?.kind === 'unterminated' && opened.tail.record.n === (doc.journalN ?? 0) + 1) store.pendingTail = opened.tail.record
    store.tailFound = opened.tail
    store.durableUpTo = store.lastSeq
    store.savedPublishedSeq = doc.publishedSeq
    return store
  }

  /** The journal beside the snapshot. */
  get journalFile(): string {
    return this.file.replace(/\.json$/, '') + '.journal'
  }

  /** Whether the journal holds records the snapshot does not: the file a loss shows up at the end of. */
  get journalHasRecords(): boolean {
    return this.journal.bytes > 0 || this.tailFound !== undefined
  }

  /** What follows the journal's last whole line, until `settleTail`. */
  get tail(): StoreTail | undefined {
    const found = this.tailFound
    if (!found) return undefined
    return {kind: found.kind, bytes: found.bytes, ownSeqs: (this.pendingTail?.own ?? []).map((e) => e.seq)}
  }

  /**
   * Keeps the journal's unterminated last record (replayed, its newline restored) or drops what
   * follows the last whole line, as the daemon decided from what its followers have seen. Nothing
   * can be committed before.
   */
  async settleTail(keep: boolean): Promise<void> {
    const found = this.tailFound
    if (!found) return
    const kept = keep && this.pendingTail !== undefined
    await this.journal.settleTail(kept)
    if (kept) this.replay(this.pendingTail!)
    else {
      const what = found.kind === 'torn' ? 'torn last line' : 'last record, whole but without its newline,'
      this.openNotes.push(`dropped the ${what} of ${this.journalFile} (${found.bytes} bytes): no follower has seen it`)
    }
    this.pendingTail = undefined
    this.tailFound = undefined
    this.durableUpTo = this.lastSeq
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

  /** What this service has applied of `source`'s events: the evidence a store behind it is judged by. */
  seenOf(source: string): SeenMark {
    const mark = this.db.data.inbox[source] ?? {upTo: 0, above: []}
    return {upTo: mark.upTo, above: [...mark.above], held: this.held(source).map((e) => e.seq)}
  }

  /**
   * The events of `source` after `afterSeq` this service still holds whole, oldest first, at most
   * `limit`: those held early, dead letters, and those its journals (this one and the previous)
   * recorded as applied. Older ones it knows only by their seq (the inbox).
   */
  async witnessed(source: string, afterSeq: number, limit: number): Promise<Envelope[]> {
    const found = new Map<number, Envelope>()
    const keep = (e: Envelope | undefined) => {
      if (e?.source === source && e.seq > afterSeq && !found.has(e.seq)) found.set(e.seq, e)
    }
    for (const e of this.held(source)) keep(e)
    for (const d of this.deadLetters) keep(d.event)
    for (const r of await Journal.readAll<JournalRecord>(this.journalFile)) {
      keep(r.in)
      keep(r.hold)
      keep(r.dl?.event)
    }
    return [...found.values()].sort((a, b) => a.seq - b.seq).slice(0, limit)
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

  /**
   * Applies the change in memory at once (the next reader sees it) and resolves when it is on
   * disk: nothing that leaves the service (a reply, an event) may show it before that.
   */
  commit({state, events = [], incoming, deadLetter, hold, unhold}: Commit<S>): Promise<void> {
    if (this.tailFound) return Promise.reject(new Error(`the last line of ${this.journalFile} is not settled yet`))
    const doc = this.db.data
    const r: JournalRecord = {n: (doc.journalN ?? 0) + 1}
    if (incoming) r.in = incoming
    if (deadLetter) r.dl = deadLetter
    if (events.length > 0) r.own = events
    if (hold) r.hold = hold
    if (unhold !== undefined) r.unhold = unhold
    // the relay's progress rides along, so a restart republishes little
    if (doc.publishedSeq > this.savedPublishedSeq) r.pub = this.savedPublishedSeq = doc.publishedSeq
    doc.state = state
    record(doc, r)
    this.recordsSinceSnapshot++
    const lastOwn = events.at(-1)?.seq
    return this.journal.append(r).then(() => {
      if (lastOwn !== undefined && lastOwn > this.durableUpTo) {
        this.durableUpTo = lastOwn
        this.onDurable()
      }
    })
  }

  /** Events on disk but not yet acknowledged by the broker, oldest first. */
  unpublished(): Envelope[] {
    const {events, publishedSeq} = this.db.data
    let i = events.length
    while (i > 0 && events[i - 1].seq > publishedSeq) i--
    return events.slice(i).filter((e) => e.seq <= this.durableUpTo)
  }

  /**
   * Kept in memory and saved with the next commit or snapshot: after a crash the relay publishes a
   * few events again, and consumers' inboxes drop the duplicates.
   */
  markPublished(seq: number): void {
    this.db.data.publishedSeq = Math.max(this.db.data.publishedSeq, seq)
  }

  /** The last own event on disk: what any reply can have confirmed. */
  get durableSeq(): number {
    return this.durableUpTo
  }

  get publishedSeq(): number {
    return this.db.data.publishedSeq
  }

  /** Resolves when every commit made so far is on disk. */
  durable(): Promise<void> {
    return this.journal.synced()
  }

  /** Everything on disk as one snapshot, the journal emptied (a graceful stop). */
  async flush(): Promise<void> {
    await this.journal.drain()
    // memory is ahead of the disk after a failed write: what is on disk stays the truth
    if (this.journal.failed) throw this.journal.failed
    await this.snapshot()
  }

  async close(): Promise<void> {
    await this.flush()
    await this.journal.close()
  }

  private async snapshotIfDue(): Promise<void> {
    if (this.recordsSinceSnapshot >= SNAPSHOT_EVERY_RECORDS || this.journal.bytes >= SNAPSHOT_EVERY_BYTES) await this.snapshot()
  }

  /** Only between journal writes: the snapshot covers every record so far, then the journal restarts. */
  private async snapshot(): Promise<void> {
    await this.db.write()
    this.savedPublishedSeq = this.db.data.publishedSeq
    await this.journal.rotate()
    this.recordsSinceSnapshot = 0
  }
}
