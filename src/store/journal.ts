import {fdatasyncSync, writeSync} from 'node:fs'
import {open, rename, type FileHandle} from 'node:fs/promises'
import {dirname} from 'node:path'

/**
 * What ends the file after its last whole line, left as it is until the store decides
 * (docs/guarantees.md, "a store behind its followers"): a `torn` line that cannot be read, or an
 * `unterminated` record that is whole but has no newline. Whether anyone has seen it decides, not
 * its shape: a crash mid-write leaves either, and neither was acknowledged by the write itself.
 */
export type JournalTail<R> = {kind: 'torn'; bytes: number; preview: string} | {kind: 'unterminated'; bytes: number; record: R}

/**
 * An append-only file of JSON lines, made durable in groups: every record appended while a write
 * is on disk's way goes out with the next one, under one fdatasync. A bad line before the end
 * means the file is not ours to repair. At a snapshot the file is rotated, not emptied: the
 * previous one (`<file>.prev`) keeps the records since the snapshot before, the events this
 * service applied among them, which another store that lost its own can be rebuilt from.
 */
/** The two calls a group write makes, on this thread; a test swaps them for a disk that fills up. */
export interface JournalDisk {
  write(fd: number, bytes: Buffer, offset: number, length: number): number
  datasync(fd: number): void
}

const localDisk: JournalDisk = {write: (fd, bytes, offset, length) => writeSync(fd, bytes, offset, length), datasync: fdatasyncSync}

export class Journal<R> {
  private disk: JournalDisk = {...localDisk} // its own: a test fills one journal's disk, not every one's
  private pending: {line: string; resolve: () => void; reject: (error: Error) => void}[] = []
  private lastAppended: Promise<void> = Promise.resolve()
  private flushing: Promise<void> | null = null
  /**
   * The first write that failed. From then on nothing more is written: a record decided on top of
   * a lost one must not be acknowledged, nor land after a torn line the next open cannot read.
   */
  private failure: Error | undefined
  /** resolves once the torn part of a failed write is cut back: no one hears of the failure before */
  private cutBack: Promise<void> = Promise.resolve()
  /** a rotation under way: the next group waits for the new file */
  private rotating: Promise<void> = Promise.resolve()

  private constructor(
    private handle: FileHandle,
    readonly file: string,
    private size: number,
    /** runs between two group writes, when nothing is in flight: the place for a snapshot */
    private readonly between: () => Promise<void>,
    private unsettled: JournalTail<R> | undefined,
  ) {}

  /** Reads the file; nothing in it is changed until `settleTail` (the tail is the store's to judge). */
  static async open<R>(file: string, between: () => Promise<void>): Promise<{journal: Journal<R>; records: R[]; tail?: JournalTail<R>}> {
    const handle = await open(file, 'a+', 0o600)
    try {
      await handle.chmod(0o600) // also one written before files were private
      const {records, valid, tail} = parseJournal<R>((await handle.readFile()).toString('utf8'), file)
      return {journal: new Journal<R>(handle, file, valid, between, tail), records, tail}
    } catch (error) {
      await handle.close()
      throw error
    }
  }

  /**
   * Every record of a journal and of its previous one that can be read, oldest first, skipping
   * what cannot: evidence for another store, read while this one may be appending.
   */
  static async readAll<R>(file: string): Promise<R[]> {
    return [...(await Journal.readPrevious<R>(file)), ...readableLines<R>(await readText(file))]
  }

  /**
   * The records of `<file>.prev` that can be read. Until the snapshot taken at its rotation is in
   * place, they are commits the snapshot on disk does not hold, replayed at open.
   */
  static async readPrevious<R>(file: string): Promise<R[]> {
    return readableLines<R>(await readText(`${file}.prev`))
  }

  get bytes(): number {
    return this.size
  }

  /** What follows the last whole line, until `settleTail`. */
  get unsettledTail(): JournalTail<R> | undefined {
    return this.unsettled
  }

  /** The write that failed, once one has: the file is as it was before it. */
  get failed(): Error | undefined {
    return this.failure
  }

  /**
   * Keeps the unterminated last record (its newline restored) or cuts the tail off. Until this is
   * done nothing may be appended: a new line after a torn one would make the file unreadable.
   */
  async settleTail(keep: boolean): Promise<void> {
    const tail = this.unsettled
    if (!tail) return
    if (keep && tail.kind === 'unterminated') {
      await this.handle.truncate(this.size + tail.bytes)
      await this.handle.appendFile('\n')
      this.size += tail.bytes + 1
    } else await this.handle.truncate(this.size)
    await this.handle.datasync()
    this.unsettled = undefined
  }

  /** Resolves once the record is on disk. */
  append(record: R): Promise<void> {
    if (this.unsettled) return Promise.reject(new Error(`the last line of ${this.file} is not settled yet`))
    if (this.failure) return this.cutBack.then(() => Promise.reject(this.failure))
    const written = new Promise<void>((resolve, reject) => {
      this.pending.push({line: JSON.stringify(record) + '\n', resolve, reject})
      this.flushing ??= this.flushLoop()
    })
    this.lastAppended = written.catch(() => {}) // a failed write is its appender's to report
    return written
  }

  /** Resolves when every record appended so far is on disk (not those appended meanwhile); rejects once a write failed. */
  synced(): Promise<void> {
    return this.lastAppended.then(() => {
      if (this.failure) throw this.failure
    })
  }

  /** Resolves when everything appended so far is on disk. */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing
  }

  /**
   * Starts a new empty journal; the full one becomes `<file>.prev` (an empty one is kept as it is,
   * so a stop with nothing new keeps the older one). Whether anything was rotated. Called when
   * nothing is in flight (between two group writes); the next group waits for it, so every
   * record written after the call goes to the new file. The caller sees to it that the old `.prev`
   * is no longer needed: a snapshot on disk holds its records.
   */
  rotate(): Promise<boolean> {
    if (this.size === 0) return Promise.resolve(false)
    const rotated = this.swapFiles()
    this.rotating = rotated.catch((error: Error) => this.halt(error)) // nothing more goes to a file half rotated
    return rotated.then(() => true)
  }

  /** Fails every later append with `error` (a snapshot that could not be written): as a failed write does. */
  halt(error: Error): void {
    this.failure ??= error
  }

  private async swapFiles(): Promise<void> {
    await rename(this.file, `${this.file}.prev`)
    const next = await open(this.file, 'a+', 0o600)
    // the new file's name must be on disk before anything acknowledged is written into it
    await syncDir(dirname(this.file))
    const old = this.handle
    this.handle = next
    this.size = 0
    await old.close()
  }

  async close(): Promise<void> {
    await this.drain()
    await this.handle.close()
  }

  private async flushLoop(): Promise<void> {
    // every record appended by the work now under way (a message's, and any read with it) joins the
    // group; not at the loop's next turn (setImmediate): the replies and events it releases would
    // then go out a turn later still, a wake-up more each (docs/performance.md#syscalls-per-rental-cycle)
    await new Promise((resolve) => process.nextTick(resolve))
    try {
      while (this.pending.length > 0) {
        let batch: typeof this.pending = []
        try {
          await this.between() // a snapshot that cannot be begun fails what waits, as a write would
          await this.rotating
          if (this.failure) throw this.failure // halted meanwhile
          batch = this.pending.splice(0)
          const text = Buffer.from(batch.map((p) => p.line).join(''))
          this.writeAll(text)
          this.size += text.length
          for (const p of batch) p.resolve()
        } catch (error) {
          await this.fail(error as Error, [...batch, ...this.pending.splice(0)])
        }
      }
    } finally {
      this.flushing = null
    }
  }

  /**
   * One group's bytes and their fdatasync, on this thread: a write through libuv's pool costs a
   * handoff each way (futexes, an eventfd, a wake-up) for two calls that take microseconds on a
   * page cache, and the syscalls per rental cycle are what issue 20 cuts (docs/performance.md).
   * The event loop waits for the disk meanwhile, as it does for SQLite's commits; what arrives
   * then is read in the next turn and goes out as the next group. A short write goes on where it
   * stopped; an error fails the group as before.
   */
  private writeAll(text: Buffer): void {
    const fd = this.handle.fd
    for (let done = 0; done < text.length; ) done += this.disk.write(fd, text, done, text.length - done)
    this.disk.datasync(fd)
  }

  /**
   * A short write leaves part of a line: it is cut back to the last whole record (if the disk lets
   * us) before any appender hears of the failure, so a crash in between cannot leave a record
   * whose appender was told it failed.
   */
  private async fail(error: Error, waiting: typeof this.pending): Promise<void> {
    this.failure = error
    this.cutBack = this.handle
      .truncate(this.size)
      .then(() => this.handle.datasync())
      .catch(() => {})
    await this.cutBack
    for (const p of waiting) p.reject(error)
  }
}

/** The whole lines of a journal's text, how many bytes they take, and what follows them. */
function parseJournal<R>(text: string, file: string): {records: R[]; valid: number; tail?: JournalTail<R>} {
  const lines = text.split('\n')
  const records: R[] = []
  let valid = 0
  let tail: JournalTail<R> | undefined
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const last = i === lines.length - 1
    if (line === '') {
      if (!last) valid += 1
      continue
    }
    let record: R
    try {
      record = JSON.parse(line) as R
    } catch (error) {
      if (!last) throw new Error(`line ${i + 1} of ${file} is not a journal record (${(error as Error).message})`)
      tail = {kind: 'torn', bytes: Buffer.byteLength(line), preview: line.slice(0, 80)}
      continue
    }
    if (last) tail = {kind: 'unterminated', bytes: Buffer.byteLength(line), record}
    else {
      records.push(record)
      valid += Buffer.byteLength(line) + 1
    }
  }
  return {records, valid, tail}
}

/** The lines that parse; a line being written right now, or torn by a crash, is not evidence. */
function readableLines<R>(text: string): R[] {
  const records: R[] = []
  for (const line of text.split('\n')) {
    if (line === '') continue
    try {
      records.push(JSON.parse(line) as R)
    } catch {
      // not a whole record
    }
  }
  return records
}

async function readText(file: string): Promise<string> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (!handle) return ''
  try {
    return (await handle.readFile()).toString('utf8')
  } finally {
    await handle.close()
  }
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
