import type {Envelope} from '../bus/events.js'
import {hasApplied} from './inbox.js'
import {openJsonFiles} from './jsonFiles.js'
import {openSqliteFiles} from './sqliteFiles.js'
import {evolveRecord, record, witnessedIn, type DeadLetter, type JournalRecord, type StoreDoc} from './storeDoc.js'
import type {FoundTail, OpenedFiles, StoreFiles, StoreKind} from './storeFiles.js'

export type {DeadLetter, StoreDoc} from './storeDoc.js'

/** What follows the journal's last whole line, as the daemon judges it (src/runtime/storeVerdict.ts). */
export interface StoreTail {
  kind: FoundTail['kind']
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

/** The kind a store file is: `<name>.json` (with its journal) or `<name>.sqlite` (docs/storage.md). */
export const kindOfFile = (file: string): StoreKind => (file.endsWith('.sqlite') ? 'sqlite' : 'json')

/**
 * One service's store: its document in memory (src/store/storeDoc.ts), kept durable by one of
 * the store kinds (src/store/storeFiles.ts): a commit — the events a change caused (the outbox),
 * the incoming event it applied (the inbox mark) — is one journal line or one SQLite transaction,
 * made durable in groups. Opening the store replays what its snapshot does not hold with the
 * service's own `evolve`. This module and the kinds' are the only code that touches the files.
 */
export class ServiceStore<S> {
  /** what opening it found and set right, for the daemon's log */
  readonly openNotes: string[] = []
  private durableUpTo: number
  private savedPublishedSeq: number
  /** called when more of the outbox is on disk (the relay may publish it) */
  onDurable: () => void = () => {}

  private constructor(
    private readonly doc: StoreDoc<S>,
    private readonly files: StoreFiles,
    private readonly evolve: (state: S, event: Envelope) => S,
    readonly file: string,
    /** what follows the journal's last whole line, until `settleTail` */
    private tailFound: FoundTail | undefined,
  ) {
    this.durableUpTo = this.lastSeq
    this.savedPublishedSeq = doc.publishedSeq
  }

  /** Reads the store, of the kind its file names; one that cannot be read is reported and left byte-for-byte untouched. */
  static async open<S>(name: string, file: string, initialState: () => S, evolve: (state: S, event: Envelope) => S): Promise<ServiceStore<S>> {
    const opened: OpenedFiles<S> =
      kindOfFile(file) === 'sqlite' ? await openSqliteFiles(name, file, initialState) : await openJsonFiles(name, file, initialState)
    const store = new ServiceStore(opened.doc, opened.files, evolve, file, opened.tail)
    for (const r of opened.replay) store.replay(r, opened.bookkeeping)
    store.durableUpTo = store.lastSeq
    store.savedPublishedSeq = opened.doc.publishedSeq
    return store
  }

  private replay(r: JournalRecord, bookkeeping = true): void {
    this.doc.state = evolveRecord(this.doc.state, r, this.evolve)
    if (bookkeeping) record(this.doc, r)
  }

  get kind(): StoreKind {
    return this.files.kind
  }

  /** The file a loss shows up at the end of: named when the store is behind its followers. */
  get lossFile(): string {
    return this.files.lossFile()
  }

  /** What follows the journal's last whole line, until `settleTail`. */
  get tail(): StoreTail | undefined {
    const found = this.tailFound
    if (!found) return undefined
    return {kind: found.kind, bytes: found.bytes, ownSeqs: (found.record?.own ?? []).map((e) => e.seq)}
  }

  /**
   * Keeps the journal's unterminated last record (replayed, its newline restored) or drops what
   * follows the last whole line, as the daemon decided from what its followers have seen. Nothing
   * can be committed before.
   */
  async settleTail(keep: boolean): Promise<void> {
    const found = this.tailFound
    if (!found) return
    const kept = keep && found.record !== undefined
    const where = this.files.lossFile() // the journal, while its tail is there
    await this.files.settleTail(kept)
    if (kept) this.replay(found.record!)
    else {
      const what = found.kind === 'torn' ? 'torn last line' : 'last record, whole but without its newline,'
      this.openNotes.push(`dropped the ${what} of ${where} (${found.bytes} bytes): no follower has seen it`)
    }
    this.tailFound = undefined
    this.durableUpTo = this.lastSeq
  }

  get state(): S {
    return this.doc.state
  }

  get lastSeq(): number {
    return this.doc.events.at(-1)?.seq ?? 0
  }

  get deadLetters(): readonly DeadLetter[] {
    return this.doc.deadLetters ?? []
  }

  get events(): readonly Envelope[] {
    return this.doc.events
  }

  hasApplied(source: string, seq: number): boolean {
    return hasApplied(this.doc.inbox, source, seq)
  }

  /** The highest seq of `source` up to which every event has been applied. */
  appliedUpTo(source: string): number {
    return this.doc.inbox[source]?.upTo ?? 0
  }

  /** What this service has applied of `source`'s events: the evidence a store behind it is judged by. */
  seenOf(source: string): SeenMark {
    const mark = this.doc.inbox[source] ?? {upTo: 0, above: []}
    return {upTo: mark.upTo, above: [...mark.above], held: this.held(source).map((e) => e.seq)}
  }

  /**
   * The events of `source` after `afterSeq` this service still holds whole, oldest first, at most
   * `limit`: those held early, dead letters, and those its journal recorded as applied since its
   * snapshot before last. Older ones it knows only by their seq (the inbox).
   */
  async witnessed(source: string, afterSeq: number, limit: number): Promise<Envelope[]> {
    const found = new Map<number, Envelope>()
    const keep = (e: Envelope | undefined) => {
      if (e?.source === source && e.seq > afterSeq && !found.has(e.seq)) found.set(e.seq, e)
    }
    for (const e of this.held(source)) keep(e)
    for (const d of this.deadLetters) keep(d.event)
    for (const r of await this.records()) witnessedIn(r).forEach(keep)
    return [...found.values()].sort((a, b) => a.seq - b.seq).slice(0, limit)
  }

  /** Events of `source` that came early, oldest first. */
  held(source: string): readonly Envelope[] {
    return this.doc.held?.[source] ?? []
  }

  /** The sources with early events waiting for a gap to fill. */
  get sourcesWithGaps(): string[] {
    return Object.entries(this.doc.held ?? {})
      .filter(([, events]) => events.length > 0)
      .map(([source]) => source)
  }

  /**
   * Applies the change in memory at once (the next reader sees it) and resolves when it is on
   * disk: nothing that leaves the service (a reply, an event) may show it before that.
   */
  commit({state, events = [], incoming, deadLetter, hold, unhold}: Commit<S>): Promise<void> {
    if (this.tailFound) return Promise.reject(new Error(`the last line of ${this.files.lossFile()} is not settled yet`))
    const doc = this.doc
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
    const lastOwn = events.at(-1)?.seq
    return this.files.append(r).then(() => {
      if (lastOwn !== undefined && lastOwn > this.durableUpTo) {
        this.durableUpTo = lastOwn
        this.onDurable()
      }
    })
  }

  /** Events on disk but not yet acknowledged by the broker, oldest first. */
  unpublished(): Envelope[] {
    const {events, publishedSeq} = this.doc
    let i = events.length
    while (i > 0 && events[i - 1].seq > publishedSeq) i--
    return events.slice(i).filter((e) => e.seq <= this.durableUpTo)
  }

  /**
   * Kept in memory and saved with the next commit or snapshot: after a crash the relay publishes a
   * few events again, and consumers' inboxes drop the duplicates.
   */
  markPublished(seq: number): void {
    this.doc.publishedSeq = Math.max(this.doc.publishedSeq, seq)
  }

  /** The last own event on disk: what any reply can have confirmed. */
  get durableSeq(): number {
    return this.durableUpTo
  }

  get publishedSeq(): number {
    return this.doc.publishedSeq
  }

  /** Resolves when every commit made so far is on disk. */
  durable(): Promise<void> {
    return this.files.synced()
  }

  /** The whole document, for `store migrate` to write as another kind: read, never changed. */
  get document(): Readonly<StoreDoc<S>> {
    return this.doc
  }

  /** The commit records its files keep (since the snapshot before last), read from disk. */
  records(): Promise<JournalRecord[]> {
    return this.files.witnessRecords()
  }

  /** Closes the files as they are, without a snapshot: a store only read (`store migrate`). */
  async closeUnchanged(): Promise<void> {
    await this.files.close()
  }

  /** Everything on disk as one snapshot, the journal emptied (a graceful stop). */
  async flush(): Promise<void> {
    await this.files.drain()
    // memory is ahead of the disk after a failed write: what is on disk stays the truth
    if (this.files.failed) throw this.files.failed
    await this.files.snapshot()
    this.savedPublishedSeq = this.doc.publishedSeq
  }

  async close(): Promise<void> {
    await this.flush()
    await this.files.close()
  }
}
