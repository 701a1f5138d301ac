import {Low, type Adapter} from 'lowdb'
import {TextFile} from 'lowdb/node'
import writeFileAtomic from 'write-file-atomic'
import {z} from 'zod'

import {Journal} from './journal.js'
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

/** The journal beside a snapshot. */
export const journalOf = (file: string) => file.replace(/\.json$/, '') + '.journal'

/**
 * The JSON kind: a lowdb snapshot (`<name>.json`) plus an append-only journal (`<name>.journal`)
 * of what changed since, one line a commit, fsynced in groups (src/store/journal.ts), so a commit's
 * cost does not grow with the store; the snapshot is rewritten only now and then.
 */
class JsonFiles<S> implements StoreFiles {
  readonly kind = 'json'
  journal!: Journal<JournalRecord>

  constructor(
    private readonly db: Low<StoreDoc<S>>,
    readonly file: string,
    private recordsSinceSnapshot: number,
  ) {}

  get journalFile(): string {
    return journalOf(this.file)
  }

  lossFile(): string {
    return this.hasRecordsPastSnapshot ? this.journalFile : this.file
  }

  get hasRecordsPastSnapshot(): boolean {
    return this.journal.bytes > 0 || this.journal.unsettledTail !== undefined
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

  drain(): Promise<void> {
    return this.journal.drain()
  }

  async snapshotIfDue(): Promise<void> {
    if (this.recordsSinceSnapshot >= SNAPSHOT_EVERY_RECORDS || this.journal.bytes >= SNAPSHOT_EVERY_BYTES) await this.snapshot()
  }

  /** Only between journal writes: the snapshot covers every record so far, then the journal restarts. */
  async snapshot(): Promise<void> {
    await this.db.write()
    await this.journal.rotate()
    this.recordsSinceSnapshot = 0
  }

  witnessRecords(): Promise<JournalRecord[]> {
    return Journal.readAll<JournalRecord>(this.journalFile)
  }

  close(): Promise<void> {
    return this.journal.close()
  }
}

/** Reads a JSON store; one that cannot be read is reported and left byte-for-byte untouched. */
export async function openJsonFiles<S>(name: string, file: string, initialState: () => S): Promise<OpenedFiles<S>> {
  // read the text, not Low.read(): that one takes a file holding `null` for a missing file
  let text: string | null
  let stored: unknown
  try {
    text = await new TextFile(file).read()
    stored = text === null ? null : JSON.parse(text)
  } catch (error) {
    throw unreadable(name, file, (error as Error).message)
  }
  if (text !== null) {
    const shape = docShape.safeParse(stored)
    if (!shape.success) throw unreadable(name, file, `not a gdmarket store: ${shape.error.issues[0]?.path.join('.') || 'top level'} is wrong`)
  }
  const doc = (stored as StoreDoc<S> | null) ?? emptyDoc(initialState())
  const db = new Low<StoreDoc<S>>(new DurableJsonFile<StoreDoc<S>>(file), doc)
  const files = new JsonFiles(db, file, 0)
  let opened: Awaited<ReturnType<typeof Journal.open<JournalRecord>>>
  try {
    opened = await Journal.open<JournalRecord>(files.journalFile, () => files.snapshotIfDue())
  } catch (error) {
    throw unreadable(name, file, (error as Error).message)
  }
  files.journal = opened.journal
  const replay: JournalRecord[] = []
  const numbered = doc.journalN !== undefined // (a snapshot from before records were numbered: not checked)
  let last = doc.journalN ?? 0
  for (const r of opened.records) {
    if (r.n <= (doc.journalN ?? 0)) continue // already in the snapshot
    // a journal that does not go on from its snapshot is another store's (a snapshot put back alone)
    if (numbered && r.n !== last + 1) {
      await opened.journal.close()
      throw unreadable(name, file, `${files.journalFile} goes on from record ${r.n - 1} but the snapshot ends at record ${doc.journalN}: they are not one store; move one of them away`)
    }
    replay.push(r)
    last = r.n
  }
  const found = opened.tail
  // an unterminated last record is replayed (if kept) only if it goes on from the rest
  const tail = found && {kind: found.kind, bytes: found.bytes, record: found.kind === 'unterminated' && found.record.n === last + 1 ? found.record : undefined}
  return {files, doc, replay, bookkeeping: true, tail}
}

/**
 * Writes a whole store of this kind at once (`store migrate`): the document as its snapshot, and
 * the records kept as evidence for `witness` as the previous journal (never replayed: the snapshot
 * holds them). Each file is fsynced; the caller renames them into place.
 */
export async function writeJsonStore<S>(file: string, doc: StoreDoc<S>, evidence: JournalRecord[]): Promise<void> {
  const prev = `${journalOf(file)}.prev`
  await writeFileAtomic(prev, evidence.map((r) => JSON.stringify(r) + '\n').join(''), {fsync: true, mode: 0o600})
  await new DurableJsonFile<StoreDoc<S>>(file).write(doc)
}
