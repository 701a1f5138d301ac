import {open, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

import type {StoreDoc} from './storeDoc.js'

/**
 * The JSON kind's snapshot file (docs/storage.md, the JSON kind): one JSON document, written and
 * read in pieces. At 1M items the document's text is ~520 MB, next to V8's longest string
 * (2^29 − 24 characters), and one `JSON.stringify` of it took seconds on the event loop. So the
 * small fields, each top-level collection of the state and the events are written a few thousand
 * elements to a line, and read back a line at a time: no string ever holds the whole of it.
 */

/** Elements stringified together, one line of the file (~1 MB of items or events). */
const CHUNK = 2000
/** Text gathered before one write: each write yields to the event loop, so commits go on between. */
const WRITE_AT = 1 << 20
/**
 * Flushed to the disk every so often rather than all at the end: one fsync of 500 MB held the
 * journal's fdatasync behind it (the filesystem's journal orders them) for 200 ms at 1M items.
 */
const SYNC_EVERY = 16 << 20

/** A top-level field of the state as it was at the capture: a map's keys and values, an array's elements, or a value. */
type Field = {kind: 'map'; keys: string[]; values: unknown[]} | {kind: 'array'; items: unknown[]} | {kind: 'value'; value: unknown}

/** A document as it was at one point, safe to write while commits go on changing the live one. */
export interface CapturedDoc {
  head: Omit<StoreDoc<unknown>, 'state' | 'events'>
  state: [string, Field][]
  events: unknown[]
}

/**
 * The document's content now, in O(entries) copies of references and no serialising. It relies on
 * the rule `Mutable` states (src/services/state.ts): `evolve` replaces the entries of the state's
 * maps, never edits them, so a map's keys and values copied now stay what they were. The outbox only
 * grows; the inbox, held events and dead letters are small and copied whole.
 */
export function captureDoc<S>(doc: StoreDoc<S>): CapturedDoc {
  const {state, events, ...rest} = doc
  return {head: structuredClone(rest), state: captureState(state), events: events.slice()}
}

/** The state's top-level fields as they are now (see captureDoc). */
export function captureState(state: unknown): CapturedDoc['state'] {
  return Object.entries(state as Record<string, unknown>).map(([key, value]): [string, Field] => {
    if (Array.isArray(value)) return [key, {kind: 'array', items: value.slice()}]
    if (value !== null && typeof value === 'object') return [key, {kind: 'map', keys: Object.keys(value), values: Object.values(value)}]
    return [key, {kind: 'value', value}]
  })
}

/** Where a snapshot is written before it is renamed into place: a crash mid-write leaves it behind. */
export const snapshotTempOf = (file: string): string => join(dirname(file), `.${basename(file)}.writing`)

/**
 * Writes the captured document to a temp file beside `file`, fsyncs it, renames it into place and
 * fsyncs the directory: the file is the old one or the new one, never a torn one (what
 * write-file-atomic gave). `stillWanted` is asked before the rename: a store whose journal failed
 * meanwhile must not put in place a snapshot holding commits nobody was told of.
 */
export async function writeSnapshot(file: string, doc: CapturedDoc, stillWanted: () => boolean = () => true): Promise<boolean> {
  const temp = snapshotTempOf(file)
  let renamed = false
  try {
    const handle = await open(temp, 'w', 0o600)
    try {
      let unsynced = 0
      const out = new PieceWriter(async (text) => {
        unsynced += (await handle.write(text)).bytesWritten
        if (unsynced < SYNC_EVERY) return
        unsynced = 0
        await handle.datasync()
      })
      await emitDoc(out, doc)
      await out.end()
      await handle.sync()
    } finally {
      await handle.close()
    }
    if (!stillWanted()) return false
    await rename(temp, file)
    renamed = true
    await syncDirOf(file)
    return true
  } finally {
    if (!renamed) await rm(temp, {force: true}) // a full disk's half-written temp file
  }
}

async function emitDoc(out: PieceWriter, doc: CapturedDoc): Promise<void> {
  out.open('', '{')
  await out.piece(JSON.stringify(doc.head).slice(1, -1))
  out.open('"state":', '{')
  await emitFields(out, doc.state)
  out.close('}')
  await emitArray(out, '"events":', doc.events)
  out.close('}')
}

/**
 * A captured state alone, as the same lines (the SQLite kind keeps them as rows of
 * `snapshot_part`): `write` gets them a megabyte or so at a time.
 */
export async function writeStateText(state: CapturedDoc['state'], write: (text: string) => Promise<void>): Promise<void> {
  const out = new PieceWriter(write)
  out.open('', '{')
  await emitFields(out, state)
  out.close('}')
  await out.end()
}

/** The state, or document, whose lines `writeStateText` or `writeSnapshot` gave, read back from the pieces they were cut into. */
export function readPieces(pieces: string[]): unknown {
  const reader = new LineReader()
  let n = 0
  for (const piece of pieces) for (const line of piece.split('\n')) reader.line(line, ++n)
  return reader.result()
}

async function emitFields(out: PieceWriter, fields: CapturedDoc['state']): Promise<void> {
  for (const [key, field] of fields) {
    const name = JSON.stringify(key) + ':'
    if (field.kind === 'array') await emitArray(out, name, field.items)
    else if (field.kind === 'value') {
      const text = JSON.stringify(field.value) as string | undefined // undefined: left out, as JSON.stringify of the whole did
      if (text !== undefined) await out.piece(name + text)
    } else {
      out.open(name, '{')
      for (let i = 0; i < field.keys.length; i += CHUNK) {
        const members: string[] = []
        for (let j = i; j < Math.min(i + CHUNK, field.keys.length); j++) {
          const text = JSON.stringify(field.values[j]) as string | undefined
          if (text !== undefined) members.push(JSON.stringify(field.keys[j]) + ':' + text)
        }
        if (members.length > 0) await out.piece(members.join(','))
      }
      out.close('}')
    }
  }
}

async function emitArray(out: PieceWriter, name: string, items: unknown[]): Promise<void> {
  out.open(name, '[')
  for (let i = 0; i < items.length; i += CHUNK) await out.piece(JSON.stringify(items.slice(i, i + CHUNK)).slice(1, -1))
  out.close(']')
}

/** Lines of a JSON document: an opener (`"key":{`), members or elements, a closer; commas where JSON wants them. */
class PieceWriter {
  private text = ''
  /** per open container: whether nothing is in it yet */
  private empty: boolean[] = []

  constructor(private readonly write: (text: string) => Promise<void>) {}

  open(name: string, bracket: '{' | '['): void {
    this.text += this.empty.length === 0 ? bracket : this.lead() + name + bracket
    this.empty.push(true)
  }

  async piece(text: string): Promise<void> {
    this.text += this.lead() + text
    if (this.text.length >= WRITE_AT) await this.flush()
  }

  close(bracket: '}' | ']'): void {
    this.empty.pop()
    this.text += '\n' + bracket
  }

  async end(): Promise<void> {
    this.text += '\n'
    await this.flush()
  }

  private lead(): string {
    const first = this.empty[this.empty.length - 1]
    this.empty[this.empty.length - 1] = false
    return first ? '\n' : ',\n'
  }

  private async flush(): Promise<void> {
    const text = this.text
    this.text = ''
    await this.write(text)
  }
}

async function syncDirOf(file: string): Promise<void> {
  const handle = await open(dirname(file), 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/**
 * Reads a snapshot a line at a time: a line opens a container (`"items":{`, `[`), closes one
 * (`}`, `],`), or holds members or elements, parsed alone. Any JSON whose lines are cut that way
 * reads the same as `JSON.parse` of the whole: what `writeSnapshot` writes, a store written on one
 * line before (parsed whole), or a file pretty-printed by hand. A file that ends early (truncated,
 * torn) or holds anything else throws. Undefined when there is no file.
 */
export async function readSnapshot(file: string): Promise<unknown> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (!handle) return undefined
  let bytes: Buffer
  try {
    bytes = await handle.readFile()
  } finally {
    await handle.close()
  }
  const reader = new LineReader()
  for (let at = 0, line = 1; at < bytes.length; line++) {
    const end = bytes.indexOf(10, at)
    const stop = end === -1 ? bytes.length : end
    reader.line(bytes.toString('utf8', at, stop), line)
    at = stop + 1
  }
  return reader.result()
}

type Container = {array: true; value: unknown[]; key?: string} | {array: false; value: Record<string, unknown>; key?: string}

class LineReader {
  private stack: Container[] = []
  private root: {value: unknown} | undefined

  line(raw: string, n: number): void {
    let t = raw.trim()
    const bad = (why: string) => new Error(`line ${n} of the snapshot ${why}`)
    while (t[0] === '}' || t[0] === ']') {
      const top = this.stack.pop()
      if (!top || top.array !== (t[0] === ']')) throw bad(`closes ${t[0]} where nothing of that kind is open`)
      this.attach(top.value, top.key, bad)
      t = t.slice(1).trimStart()
      if (t[0] === ',') t = t.slice(1).trimStart()
    }
    if (t.endsWith(',')) t = t.slice(0, -1).trimEnd()
    if (t === '') return
    if (this.root) throw bad('follows the end of the document')
    const top = this.stack.at(-1)
    const last = t[t.length - 1]
    if (last === '{' || last === '[') {
      const name = t.slice(0, -1).trimEnd()
      let key: string | undefined
      if (top && !top.array) {
        if (!name.endsWith(':')) throw bad('opens a member without a name')
        key = JSON.parse(name.slice(0, -1)) as string
        if (typeof key !== 'string') throw bad('names a member with something other than a string')
      } else if (name !== '') throw bad(`is not JSON: ${name.slice(0, 40)}`)
      this.stack.push(last === '[' ? {array: true, value: [], key} : {array: false, value: {}, key})
      return
    }
    try {
      if (!top) this.root = {value: JSON.parse(t)}
      else if (top.array) for (const value of JSON.parse(`[${t}]`) as unknown[]) top.value.push(value)
      else for (const [key, value] of Object.entries(JSON.parse(`{${t}}`) as object)) setMember(top.value, key, value)
    } catch (error) {
      throw bad(`is not JSON (${(error as Error).message.slice(0, 120)})`)
    }
  }

  result(): unknown {
    if (this.stack.length > 0 || !this.root) throw new Error('the snapshot ends before its document does (cut short?)')
    return this.root.value
  }

  private attach(value: unknown, key: string | undefined, bad: (why: string) => Error): void {
    const parent = this.stack.at(-1)
    if (!parent) this.root = {value}
    else if (parent.array) parent.value.push(value)
    else if (key === undefined) throw bad('closes a member without a name')
    else setMember(parent.value, key, value)
  }
}

/** As JSON.parse makes it: an own property, even one named `__proto__`. */
function setMember(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, {value, writable: true, enumerable: true, configurable: true})
  else target[key] = value
}
