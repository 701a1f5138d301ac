import {rm} from 'node:fs/promises'

import writeFileAtomic from 'write-file-atomic'
import {z} from 'zod'

import {Journal} from './journal.js'
import {captureDoc, readSnapshot, snapshotTempOf, writeSnapshot} from './snapshotFile.js'
import {emptyDoc, type JournalRecord, type StoreDoc} from './storeDoc.js'
import {SNAPSHOT_EVERY_RECORDS, unreadable, type OpenedFiles, type StoreFiles} from './storeFiles.js'

/** …or this many bytes of journal. */
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

/** The journal beside a snapshot. */
export const journalOf = (file: string) => file.replace(/\.json$/, '') + '.journal'

/**
 * The JSON kind: a snapshot (`<name>.json`, src/store/snapshotFile.ts) plus an append-only journal
 * (`<name>.journal`) of what changed since, one line a commit, fsynced in groups
 * (src/store/journal.ts), so a commit's cost does not grow with the store.
 *
 * A snapshot is taken between two group writes: the document is captured (references, no text),
 * the journal rotated to `<name>.journal.prev` at once, and the file written in the background
 * while commits go on into the new journal. Until it is in place, the snapshot on disk + `.prev` +
 * the journal hold every commit, and open replays them so; `.prev` is rotated over again only once
 * a snapshot that holds it is on disk, and the next snapshot waits for the one being written.
 */
class JsonFiles<S> implements StoreFiles {
  readonly kind = 'json'
  journal!: Journal<JournalRecord>
  /** the snapshot being written in the background, until it is in place (or failed) */
  private writing: Promise<void> | undefined
  /** the journal's size when the last snapshot was captured */
  private bytesAtSnapshot = 0

  constructor(
    private readonly doc: StoreDoc<S>,
    readonly file: string,
    private recordsSinceSnapshot: number,
    /** the snapshot on disk holds every record of `.prev`: only then may the journal be rotated over it */
    private prevCovered: boolean,
    /** what the snapshot on disk holds: a stop with nothing newer does not write it again (seconds at 1M items) */
    private onDisk: {journalN?: number; publishedSeq: number} | undefined,
  ) {}

  get journalFile(): string {
    return journalOf(this.file)
  }

  lossFile(): string {
    if (this.journal.bytes > 0 || this.journal.unsettledTail !== undefined) return this.journalFile
    return this.prevCovered ? this.file : `${this.journalFile}.prev`
  }

  get failed(): Error | undefined {
    return this.journal.failed
  }

  settleTail(keep: boolean): Promise<void> {
    return this.journal.settleTail(keep)
  }

  append(r: JournalRecord): Promise<void> {
    this.recordsSinceSnapshot++
    return this.journal.append(r)
  }

  synced(): Promise<void> {
    return this.journal.synced()
  }

  /** Every record on disk, and the snapshot being written in place. */
  async drain(): Promise<void> {
    await this.journal.drain()
    await this.writing
  }

  /** Runs between two group writes. A snapshot still being written postpones the next one: the journal goes on meanwhile. */
  async snapshotIfDue(): Promise<void> {
    if (this.writing) return
    if (this.recordsSinceSnapshot >= SNAPSHOT_EVERY_RECORDS || this.journal.bytes - this.bytesAtSnapshot >= SNAPSHOT_EVERY_BYTES) this.begin()
  }

  /** The whole document as one snapshot, on disk when this resolves (a graceful stop). */
  async snapshot(): Promise<void> {
    await this.drain()
    if (this.journal.failed) throw this.journal.failed
    const {journalN, publishedSeq} = this.doc
    if (this.prevCovered && this.onDisk?.journalN === journalN && this.onDisk?.publishedSeq === publishedSeq) return
    this.begin()
    await this.writing
    if (this.journal.failed) throw this.journal.failed
  }

  /**
   * Captures the document and rotates the journal in this same turn, so the records written from
   * now on go to the new journal and every earlier one is in the capture; then writes it in the
   * background. A write that fails latches the journal (every later commit fails, and the daemon
   * starts again from the files, which hold every acknowledged commit), as a failed group write does.
   */
  private begin(): void {
    const captured = captureDoc(this.doc)
    const rotation = this.prevCovered ? this.journal.rotate() : Promise.resolve(false)
    this.recordsSinceSnapshot = 0
    this.writing = rotation
      .then(async (rotated) => {
        if (rotated) this.prevCovered = false
        this.bytesAtSnapshot = this.journal.bytes
        // not over commits nobody was told of: a group that failed meanwhile latched the journal
        if (!(await writeSnapshot(this.file, captured, () => this.journal.failed === undefined))) return
        this.prevCovered = true
        this.onDisk = captured.head
      })
      .catch((error: Error) => this.journal.halt(error))
      .finally(() => {
        this.writing = undefined
      })
  }

  witnessRecords(): Promise<JournalRecord[]> {
    return Journal.readAll<JournalRecord>(this.journalFile)
  }

  async close(): Promise<void> {
    await this.writing
    await this.journal.close()
  }
}

/** Reads a JSON store; one that cannot be read is reported and left byte-for-byte untouched. */
export async function openJsonFiles<S>(name: string, file: string, initialState: () => S): Promise<OpenedFiles<S>> {
  let stored: unknown
  try {
    stored = await readSnapshot(file)
  } catch (error) {
    throw unreadable(name, file, (error as Error).message)
  }
  if (stored !== undefined) {
    const shape = docShape.safeParse(stored)
    if (!shape.success) throw unreadable(name, file, `not a gdmarket store: ${shape.error.issues[0]?.path.join('.') || 'top level'} is wrong`)
  }
  const doc = (stored as StoreDoc<S> | undefined) ?? emptyDoc(initialState())
  const journalFile = journalOf(file)
  let opened: Awaited<ReturnType<typeof Journal.open<JournalRecord>>>
  let previous: JournalRecord[]
  try {
    previous = await Journal.readPrevious<JournalRecord>(journalFile)
    opened = await Journal.open<JournalRecord>(journalFile, () => files.snapshotIfDue())
  } catch (error) {
    throw unreadable(name, file, (error as Error).message)
  }
  const numbered = doc.journalN !== undefined // (a snapshot from before records were numbered: not checked, and it holds its .prev)
  const from = (list: JournalRecord[], where: string) => list.map((r) => ({r, where}))
  // .prev going on from the snapshot: a crash came before the snapshot taken at its rotation was in place
  const pending = numbered ? previous.filter((r) => r.n > (doc.journalN ?? 0)) : []
  const prevPending = pending[0]?.n === (doc.journalN ?? 0) + 1
  const found = [...(prevPending ? from(pending, `${journalFile}.prev`) : []), ...from(opened.records, journalFile)]
  const replay: JournalRecord[] = []
  let last = doc.journalN ?? 0
  for (const {r, where} of found) {
    if (r.n <= (doc.journalN ?? 0)) continue // already in the snapshot
    // a journal that does not go on from its snapshot is another store's (a snapshot put back alone)
    if (numbered && r.n !== last + 1) {
      await opened.journal.close()
      const before = last === (doc.journalN ?? 0) ? 'the snapshot ends' : 'the records before it end'
      throw unreadable(name, file, `${where} goes on from record ${r.n - 1} but ${before} at record ${last}: they are not one store; move one of them away`)
    }
    replay.push(r)
    last = r.n
  }
  const onDisk = stored === undefined ? undefined : {journalN: doc.journalN, publishedSeq: doc.publishedSeq} // before the replay moves them
  const files: JsonFiles<S> = new JsonFiles(doc, file, replay.length, !prevPending, onDisk)
  files.journal = opened.journal
  const tail = opened.tail
  // an unterminated last record is replayed (if kept) only if it goes on from the rest
  const foundTail = tail && {kind: tail.kind, bytes: tail.bytes, record: tail.kind === 'unterminated' && tail.record.n === last + 1 ? tail.record : undefined}
  // a snapshot a crash cut short (up to the size of the store): the files above hold all it held
  await rm(snapshotTempOf(file), {force: true})
  return {files, doc, replay, bookkeeping: true, tail: foundTail}
}

/**
 * Writes a whole store of this kind at once (`store migrate`): the document as its snapshot, and
 * the records kept as evidence for `witness` as the previous journal (never replayed: the snapshot
 * holds them). Each file is fsynced; the caller renames them into place.
 */
export async function writeJsonStore<S>(file: string, doc: StoreDoc<S>, evidence: JournalRecord[]): Promise<void> {
  const prev = `${journalOf(file)}.prev`
  await writeFileAtomic(prev, evidence.map((r) => JSON.stringify(r) + '\n').join(''), {fsync: true, mode: 0o600})
  await writeSnapshot(file, captureDoc(doc))
}
