import type {StoreKind} from '../config.js'
import {GdError, Exit} from '../errors.js'
import type {JournalRecord, StoreDoc} from './storeDoc.js'

/** The kinds of store a service can keep its data in (docs/storage.md): the setting's words (src/config.ts). */
export {storeKinds, type StoreKind} from '../config.js'

/** A snapshot after this many commits since the last one: opening replays at most that many. */
export const SNAPSHOT_EVERY_RECORDS = 20_000

/**
 * How one kind keeps a store's document durable: the contract both kinds meet, tested by one
 * suite (test/unit/serviceStore.test.ts). The document itself, and what a commit does to it, are
 * the same for both (src/store/serviceStore.ts).
 */
export interface StoreFiles {
  readonly kind: StoreKind
  /** the file a loss shows up at the end of: the one named when the store is behind its followers */
  lossFile(): string
  /** keeps (true) or drops the journal's unterminated last record; a kind whose commits cannot tear has none */
  settleTail(keep: boolean): Promise<void>
  /** resolves once the record is on disk; the first failure fails it and every later one */
  append(r: JournalRecord): Promise<void>
  /** resolves when every record appended so far is on disk; rejects once a write failed */
  synced(): Promise<void>
  /** resolves when nothing is waiting to be written */
  drain(): Promise<void>
  /** the write that failed, once one has: the files are as they were before it */
  readonly failed: Error | undefined
  /** the whole document as one snapshot (a graceful stop) */
  snapshot(): Promise<void>
  /** the records kept since the snapshot before last, read from disk: evidence for another store */
  witnessRecords(): Promise<JournalRecord[]>
  close(): Promise<void>
}

/** What opening a kind's files found. */
export interface OpenedFiles<S> {
  files: StoreFiles
  doc: StoreDoc<S>
  /** the commits after the snapshot, in order, to replay over it */
  replay: JournalRecord[]
  /**
   * replaying redoes their bookkeeping (inbox, outbox…) too: the snapshot predates them. False
   * when the kind keeps its bookkeeping current at every commit and snapshots only the state.
   */
  bookkeeping: boolean
  /** what follows the journal's last whole line, left for the daemon to judge */
  tail?: FoundTail
}

/** A journal's last line that is torn, or whole without its newline (then `record`, when it goes on from the rest). */
export interface FoundTail {
  kind: 'torn' | 'unterminated'
  bytes: number
  record?: JournalRecord
}

/** A store that cannot be read: reported and left byte for byte as it is. */
export const unreadable = (name: string, file: string, why: string) =>
  new GdError(
    'STORE_UNREADABLE',
    `the ${name} store ${file} cannot be read (${why}); it was left untouched: repair it or move it away, then start again`,
    Exit.unavailable,
  )
