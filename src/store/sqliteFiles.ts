import {chmodSync, closeSync, existsSync, openSync, rmSync} from 'node:fs'
import {createRequire} from 'node:module'

import type Database from 'better-sqlite3'

import type {Envelope} from '../bus/events.js'
import {captureState, readPieces, writeStateText} from './snapshotFile.js'
import {storageErrno} from './storageProblem.js'
import {appliedBy, emptyDoc, type DeadLetter, type JournalRecord, type StoreDoc} from './storeDoc.js'
import {SNAPSHOT_EVERY_RECORDS, unreadable, type OpenedFiles, type StoreFiles} from './storeFiles.js'
import {walCommitsAfterDamage} from './walCheck.js'

/**
 * The tables of a SQLite store (docs/storage.md shows them as Debian's `sqlite3` prints them).
 * The bookkeeping is kept current at every commit, in rows a person can query; the state, which is
 * the service's own shape, is a JSON snapshot now and then, and the journal rows since are
 * replayed over it at open. Types and functions Debian's sqlite3 (3.40) knows, nothing newer.
 */
const schema = `
CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value NOT NULL);
CREATE TABLE events (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, time TEXT NOT NULL, envelope TEXT NOT NULL);
CREATE TABLE inbox (source TEXT PRIMARY KEY NOT NULL, up_to INTEGER NOT NULL, above TEXT NOT NULL);
CREATE TABLE held (source TEXT NOT NULL, seq INTEGER NOT NULL, envelope TEXT NOT NULL, PRIMARY KEY (source, seq));
CREATE TABLE dead_letters (n INTEGER PRIMARY KEY, event TEXT NOT NULL, error TEXT NOT NULL, attempts INTEGER NOT NULL, at TEXT NOT NULL);
CREATE TABLE journal (n INTEGER PRIMARY KEY, record TEXT NOT NULL);
CREATE TABLE snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), n INTEGER NOT NULL, state TEXT NOT NULL);
CREATE TABLE snapshot_part (n INTEGER NOT NULL, part INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (n, part));
`
/** made in a store from before snapshots were written in parts (the other tables are required) */
const partsTable = 'CREATE TABLE IF NOT EXISTS snapshot_part (n INTEGER NOT NULL, part INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (n, part))'

const tables = ['meta', 'events', 'inbox', 'held', 'dead_letters', 'journal', 'snapshot']

type Sqlite = typeof Database
/**
 * better-sqlite3 loads in a process that opens a SQLite store, not in the others: its import was
 * 5 MB of RSS. Required, not imported: the CLI runs as a CommonJS script restored from V8's code
 * cache, where `import()` has no loader to call (docs/performance.md, the CLI as a new process).
 */
let loaded: Sqlite | undefined
const sqlite = async (): Promise<Sqlite> => (loaded ??= createRequire(import.meta.url)('better-sqlite3') as Sqlite)

/**
 * WAL with synchronous=FULL: a commit is fsynced before it is acknowledged, as the JSON journal's
 * fdatasync is; NORMAL would survive a kill -9 but not a power cut, and the store promises "on
 * disk before the reply" (docs/guarantees.md). A transaction is whole or absent: a crash can leave
 * no half commit for anyone to judge.
 */
function writer(Sqlite: Sqlite, file: string): Database.Database {
  if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600)) // SQLite gives -wal and -shm the file's mode
  chmodSync(file, 0o600)
  const db = new Sqlite(file)
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  return db
}

type Pending = {r: JournalRecord; resolve: () => void; reject: (error: Error) => void}

/** The SQLite kind: `<name>.sqlite`, one transaction for each group of commits (docs/storage.md). */
class SqliteFiles<S> implements StoreFiles {
  readonly kind = 'sqlite'
  private pending: Pending[] = []
  private scheduled: Promise<void> | null = null
  private lastWritten: Promise<void> = Promise.resolve()
  private failure: Error | undefined
  private readonly write: (batch: JournalRecord[]) => void
  private readonly statements = new Map<string, Database.Statement>()
  /** the state being written in parts between commits, until it is the snapshot (or failed) */
  private writing: Promise<void> | undefined

  constructor(
    private readonly db: Database.Database,
    readonly file: string,
    private readonly doc: StoreDoc<S>,
    private snapshotN: number,
  ) {
    this.write = db.transaction((batch: JournalRecord[]) => {
      for (const r of batch) this.writeRecord(r)
    })
  }

  lossFile(): string {
    return this.file
  }

  get failed(): Error | undefined {
    return this.failure
  }

  async settleTail(): Promise<void> {} // a transaction cannot tear: there is no tail to judge

  append(r: JournalRecord): Promise<void> {
    if (this.failure) return Promise.reject(this.failure)
    const written = new Promise<void>((resolve, reject) => this.pending.push({r, resolve, reject}))
    // every commit made by the work now under way goes in one transaction, under one fsync (as the journal's group)
    this.scheduled ??= new Promise<void>((resolve) => process.nextTick(() => resolve(this.flush())))
    this.lastWritten = written.catch(() => {})
    return written
  }

  synced(): Promise<void> {
    return this.lastWritten.then(() => {
      if (this.failure) throw this.failure
    })
  }

  async drain(): Promise<void> {
    while (this.scheduled) await this.scheduled
    await this.writing
  }

  /** Also moves the -wal into the database file: after a graceful stop `<name>.sqlite` alone holds the store (a copy of it is whole). */
  async snapshot(): Promise<void> {
    await this.drain()
    if ((this.doc.journalN ?? 0) > this.snapshotN) this.db.transaction(() => this.writeSnapshot())()
    this.db.pragma('wal_checkpoint(TRUNCATE)')
  }

  async witnessRecords(): Promise<JournalRecord[]> {
    return this.db
      .prepare('SELECT record FROM journal ORDER BY n')
      .pluck()
      .all()
      .map((text) => JSON.parse(text as string) as JournalRecord)
  }

  async close(): Promise<void> {
    await this.drain()
    this.db.close()
  }

  private flush(): void {
    const batch = this.pending.splice(0)
    this.scheduled = null
    if (this.failure) return batch.forEach((p) => p.reject(this.failure!))
    try {
      this.write(batch.map((p) => p.r))
      for (const p of batch) p.resolve()
      // the document is now as of the last row written: captured here, written between the next commits
      if (!this.writing && (this.doc.journalN ?? 0) - this.snapshotN >= SNAPSHOT_EVERY_RECORDS) this.writeInParts()
    } catch (error) {
      // the transaction was rolled back: the file is as it was before it; nothing more is written
      this.failure = error as Error
      for (const p of batch) p.reject(this.failure)
    }
  }

  /** One commit's rows; the inbox mark is the document's, which is at least this far. */
  private writeRecord(r: JournalRecord): void {
    const run = (sql: string, ...values: unknown[]) => this.statement(sql).run(...values)
    run('INSERT INTO journal (n, record) VALUES (?, ?)', r.n, JSON.stringify(r))
    const applied = appliedBy(r)
    if (applied) {
      const mark = this.doc.inbox[applied.source]
      run('INSERT OR REPLACE INTO inbox (source, up_to, above) VALUES (?, ?, ?)', applied.source, mark.upTo, JSON.stringify(mark.above))
      run('DELETE FROM held WHERE source = ? AND seq = ?', applied.source, applied.seq)
    }
    if (r.dl) run('INSERT INTO dead_letters (event, error, attempts, at) VALUES (?, ?, ?, ?)', JSON.stringify(r.dl.event), r.dl.error, r.dl.attempts, r.dl.at)
    for (const e of r.own ?? []) run('INSERT INTO events (seq, id, type, time, envelope) VALUES (?, ?, ?, ?, ?)', e.seq, e.id, e.type, e.time, JSON.stringify(e))
    if (r.hold) run('INSERT OR REPLACE INTO held (source, seq, envelope) VALUES (?, ?, ?)', r.hold.source, r.hold.seq, JSON.stringify(r.hold))
    if (r.unhold !== undefined) run('DELETE FROM held WHERE source = ?', r.unhold)
    if (r.pub !== undefined) run("UPDATE meta SET value = max(value, CAST(? AS INTEGER)) WHERE key = 'publishedSeq'", r.pub)
  }

  /** The state as of the last commit, in one row (a graceful stop); the journal keeps the rows since the snapshot before this one (evidence for `witness`). */
  private writeSnapshot(): void {
    this.snapshotIs(this.doc.journalN ?? 0, JSON.stringify(this.doc.state))
  }

  /**
   * The state as of the last commit, captured now and written a megabyte a transaction between
   * the next commits (one stringify of the whole state, in the commit's transaction, held every
   * commit for it). Until the last transaction makes the parts the snapshot, the old snapshot and
   * the journal rows since it are what opening reads. A part that cannot be written fails every
   * later commit, as a failed commit does.
   */
  private writeInParts(): void {
    const n = this.doc.journalN ?? 0
    const state = captureState(this.doc.state)
    let part = 0
    this.writing = (async () => {
      this.statement('DELETE FROM snapshot_part WHERE n <> ?').run(this.snapshotN) // what a killed attempt left
      await writeStateText(state, async (text) => {
        if (this.failure) throw this.failure
        this.statement('INSERT OR REPLACE INTO snapshot_part (n, part, text) VALUES (?, ?, ?)').run(n, part++, text)
        await new Promise((resolve) => setImmediate(resolve)) // the commits waiting go first
      })
      if (this.failure) throw this.failure
      this.db.transaction(() => this.snapshotIs(n, ''))()
    })()
      .catch((error: Error) => {
        this.failure ??= error
      })
      .finally(() => {
        this.writing = undefined
      })
  }

  /** `state` '' : the snapshot is the rows of `snapshot_part` with its `n`. */
  private snapshotIs(n: number, state: string): void {
    this.statement('INSERT OR REPLACE INTO snapshot (id, n, state) VALUES (1, ?, ?)').run(n, state)
    this.statement('DELETE FROM snapshot_part WHERE n <> ?').run(state === '' ? n : -1)
    this.statement("UPDATE meta SET value = max(value, CAST(? AS INTEGER)) WHERE key = 'publishedSeq'").run(this.doc.publishedSeq)
    this.statement('DELETE FROM journal WHERE n <= ?').run(this.snapshotN)
    this.snapshotN = n
  }

  private statement(sql: string): Database.Statement {
    let prepared = this.statements.get(sql)
    if (!prepared) this.statements.set(sql, (prepared = this.db.prepare(sql)))
    return prepared
  }
}

/** What a SQLite store holds, read on a connection that cannot write: a file that fails its check is left as it is. */
function load<S>(Sqlite: Sqlite, file: string, initialState: () => S): {doc: StoreDoc<S>; snapshotN: number; replay: JournalRecord[]} | undefined {
  const lost = walCommitsAfterDamage(`${file}-wal`)
  if (lost > 0) throw new Error(`its -wal is damaged before its end: ${lost} committed transaction${lost === 1 ? '' : 's'} after the damage would be lost`)
  const made = ['-wal', '-shm'].map((side) => file + side).filter((side) => !existsSync(side))
  const db = new Sqlite(file, {readonly: true, fileMustExist: true})
  try {
    return read(db, initialState)
  } catch (error) {
    db.close()
    // the side files SQLite made to read it go again: a refused store is left as it was
    for (const side of made) rmSync(side, {force: true})
    throw error
  } finally {
    if (db.open) db.close()
  }
}

function read<S>(db: Database.Database, initialState: () => S): {doc: StoreDoc<S>; snapshotN: number; replay: JournalRecord[]} | undefined {
  const check = db.pragma('quick_check', {simple: true})
  if (check !== 'ok') throw new Error(`its check says: ${String(check)}`)
  const present = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]
  if (present.length === 0) return undefined // made, but killed before its tables were: nothing in it yet
  const missing = tables.filter((t) => !present.includes(t))
  const format = present.includes('meta') ? db.prepare("SELECT value FROM meta WHERE key = 'format'").pluck().get() : undefined
  if (missing.length > 0 || format !== 1) throw new Error(`not a gdmarket store: ${missing.length > 0 ? `no ${missing[0]} table` : 'format is wrong'}`)
  const rows = <T>(sql: string) => db.prepare(sql).all() as T[]
  const parse = (text: string) => JSON.parse(text) as Envelope
  const snapshot = db.prepare('SELECT n, state FROM snapshot WHERE id = 1').get() as {n: number; state: string} | undefined
  const inParts = () => readPieces(db.prepare('SELECT text FROM snapshot_part WHERE n = ? ORDER BY part').pluck().all(snapshot!.n) as string[]) as S
  const doc = emptyDoc<S>(!snapshot ? initialState() : snapshot.state === '' ? inParts() : (JSON.parse(snapshot.state) as S))
  doc.events = rows<{envelope: string}>('SELECT envelope FROM events ORDER BY seq').map((r) => parse(r.envelope))
  doc.publishedSeq = Number(db.prepare("SELECT value FROM meta WHERE key = 'publishedSeq'").pluck().get() ?? 0)
  for (const r of rows<{source: string; up_to: number; above: string}>('SELECT * FROM inbox')) doc.inbox[r.source] = {upTo: r.up_to, above: JSON.parse(r.above) as number[]}
  const deadLetters = rows<{event: string} & Omit<DeadLetter, 'event'>>('SELECT * FROM dead_letters ORDER BY n')
  if (deadLetters.length > 0) doc.deadLetters = deadLetters.map((d) => ({event: parse(d.event), error: d.error, attempts: d.attempts, at: d.at}))
  for (const r of rows<{source: string; envelope: string}>('SELECT source, envelope FROM held ORDER BY source, seq')) ((doc.held ??= {})[r.source] ??= []).push(parse(r.envelope))
  const snapshotN = snapshot?.n ?? 0
  const replay = rows<{record: string}>(`SELECT record FROM journal WHERE n > ${snapshotN} ORDER BY n`).map((r) => JSON.parse(r.record) as JournalRecord)
  doc.journalN = replay.at(-1)?.n ?? snapshotN
  return {doc, snapshotN, replay}
}

/**
 * Opens a SQLite store, or makes a new one. A file that is not a whole gdmarket store (truncated,
 * torn, another program's) is refused with SQLite's own word for it and left as it is; a `-wal`
 * torn by a crash ends at its last whole transaction, which is SQLite's recovery and ours.
 */
export async function openSqliteFiles<S>(name: string, file: string, initialState: () => S): Promise<OpenedFiles<S>> {
  const Sqlite = await sqlite()
  let found: ReturnType<typeof load<S>>
  try {
    found = existsSync(file) ? load(Sqlite, file, initialState) : undefined
  } catch (error) {
    // a full or read-only disk is not the store's fault: the daemon says so and is tried again
    if (storageErrno(error) !== undefined) throw error
    throw unreadable(name, file, (error as Error).message)
  }
  const opened = found ?? {doc: emptyDoc<S>(initialState()), snapshotN: 0, replay: []}
  const db = writer(Sqlite, file)
  if (found) db.exec(partsTable)
  if (!found) {
    db.transaction(() => {
      db.exec(schema)
      db.prepare("INSERT INTO meta (key, value) VALUES ('format', 1), ('service', ?), ('publishedSeq', 0)").run(name)
    })()
  }
  for (const side of ['-wal', '-shm']) if (existsSync(file + side)) chmodSync(file + side, 0o600)
  const files = new SqliteFiles(db, file, opened.doc, opened.snapshotN)
  return {files, doc: opened.doc, replay: opened.replay, bookkeeping: false}
}

/**
 * Writes a whole store of this kind at once (`store migrate`): the bookkeeping in its tables, the
 * state as the snapshot of the last commit, and the records kept as evidence for `witness` as
 * journal rows the snapshot already holds. One transaction; the -wal is folded in before it closes.
 */
export async function writeSqliteStore<S>(name: string, file: string, doc: StoreDoc<S>, evidence: JournalRecord[]): Promise<void> {
  const db = writer(await sqlite(), file)
  try {
    db.transaction(() => {
      db.exec(schema)
      const n = doc.journalN ?? 0
      const insert = (sql: string) => db.prepare(sql)
      insert("INSERT INTO meta (key, value) VALUES ('format', 1), ('service', ?), ('publishedSeq', CAST(? AS INTEGER))").run(name, doc.publishedSeq)
      const event = insert('INSERT INTO events (seq, id, type, time, envelope) VALUES (?, ?, ?, ?, ?)')
      for (const e of doc.events) event.run(e.seq, e.id, e.type, e.time, JSON.stringify(e))
      const mark = insert('INSERT INTO inbox (source, up_to, above) VALUES (?, ?, ?)')
      for (const [source, m] of Object.entries(doc.inbox)) mark.run(source, m.upTo, JSON.stringify(m.above))
      const held = insert('INSERT INTO held (source, seq, envelope) VALUES (?, ?, ?)')
      for (const e of Object.values(doc.held ?? {}).flat()) held.run(e.source, e.seq, JSON.stringify(e))
      const dead = insert('INSERT INTO dead_letters (event, error, attempts, at) VALUES (?, ?, ?, ?)')
      for (const d of doc.deadLetters ?? []) dead.run(JSON.stringify(d.event), d.error, d.attempts, d.at)
      const row = insert('INSERT INTO journal (n, record) VALUES (?, ?)')
      for (const r of evidence.filter((r) => r.n <= n)) row.run(r.n, JSON.stringify(r))
      insert('INSERT INTO snapshot (id, n, state) VALUES (1, ?, ?)').run(n, JSON.stringify(doc.state))
    })()
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
}
