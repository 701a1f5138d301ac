import {open, type FileHandle} from 'node:fs/promises'

/**
 * An append-only file of JSON lines, made durable in groups: every record appended while a write
 * is on disk's way goes out with the next one, under one fdatasync. A line torn by a crash at the
 * end of the file was never acknowledged and is dropped on open (and said so); a last record that
 * is whole but lost its newline is kept and the newline restored: dropping it would give its
 * numbers out again. A bad line anywhere else means the file is not ours to repair.
 */
export class Journal<R> {
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

  private constructor(
    private readonly handle: FileHandle,
    readonly file: string,
    private size: number,
    /** runs between two group writes, when nothing is in flight: the place for a snapshot */
    private readonly between: () => Promise<void>,
  ) {}

  static async open<R>(file: string, between: () => Promise<void>): Promise<{journal: Journal<R>; records: R[]; dropped?: string}> {
    const handle = await open(file, 'a+', 0o600)
    try {
      await handle.chmod(0o600) // also one written before files were private
      const text = (await handle.readFile()).toString('utf8')
      const lines = text.split('\n')
      const records: R[] = []
      let valid = 0
      let dropped: string | undefined
      let restoreNewline = false
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
          // written without its end: a crash mid-write, never acknowledged
          dropped = `dropped the torn last line of ${file} (${Buffer.byteLength(line)} bytes, never acknowledged): ${line.slice(0, 80)}`
          continue
        }
        records.push(record)
        valid += Buffer.byteLength(line) + 1
        restoreNewline = last // whole, only its newline lost
      }
      if (restoreNewline) {
        await handle.truncate(valid - 1)
        await handle.appendFile('\n')
        await handle.datasync()
      } else if (valid < Buffer.byteLength(text)) await handle.truncate(valid)
      return {journal: new Journal<R>(handle, file, valid, between), records, dropped}
    } catch (error) {
      await handle.close()
      throw error
    }
  }

  get bytes(): number {
    return this.size
  }

  /** The write that failed, once one has: the file is as it was before it. */
  get failed(): Error | undefined {
    return this.failure
  }

  /** Resolves once the record is on disk. */
  append(record: R): Promise<void> {
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

  async truncate(): Promise<void> {
    await this.handle.truncate(0)
    await this.handle.datasync()
    this.size = 0
  }

  async close(): Promise<void> {
    await this.drain()
    await this.handle.close()
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

  private async flushLoop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        let batch: typeof this.pending = []
        try {
          await this.between() // a snapshot that cannot be written fails what waits, as a write would
          batch = this.pending.splice(0)
          const text = batch.map((p) => p.line).join('')
          await this.handle.appendFile(text)
          await this.handle.datasync()
          this.size += Buffer.byteLength(text)
          for (const p of batch) p.resolve()
        } catch (error) {
          await this.fail(error as Error, [...batch, ...this.pending.splice(0)])
        }
      }
    } finally {
      this.flushing = null
    }
  }
}
