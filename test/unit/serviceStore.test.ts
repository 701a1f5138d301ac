import {appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {GdError} from '../../src/errors.js'
import {ServiceStore} from '../../src/store/serviceStore.js'
import {storageProblem} from '../../src/store/storageProblem.js'
import {envelope, registered, reserved} from './given.js'
import {crashCopy, kindsUnderTest, storeFiles} from './storeContract.js'

interface Counter {
  count: number
}
const initial = (): Counter => ({count: 0})
/** every event counts one: replaying the journal must give the same count */
const count = (state: Counter): Counter => ({count: state.count + 1})

let dir: string
let file: string
const opened: ServiceStore<Counter>[] = []
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdmarket-store-'))
  file = join(dir, 'item.json')
})
afterEach(async () => {
  for (const store of opened.splice(0)) await (store as unknown as {files: {close(): Promise<void>}}).files.close().catch(() => {})
  rmSync(dir, {recursive: true, force: true})
})

/** Opens a store, closed (without a snapshot) after the test. */
const open = async (at = file): Promise<ServiceStore<Counter>> => {
  const store = await ServiceStore.open('item', at, initial, count)
  opened.push(store)
  return store
}

const openRejection = async (at = file): Promise<GdError> => {
  const error = await open(at).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(GdError)
  return error as GdError
}

const bytesOf = (at: string) => storeFiles(at).map((name) => readFileSync(join(at, name)).toString('base64'))
const item = (itemNo: number) => registered({itemNo, itemName: `Thing ${itemNo}`, itemPrice: 10})

/**
 * The store contract: what every kind of store promises its daemon (docs/storage.md), run against
 * each kind. What a kill -9, a full disk and a torn write leave is checked on the files themselves.
 */
describe.each(kindsUnderTest)('the store contract, on the $kind kind', (kind) => {
  beforeEach(() => {
    file = kind.file(dir)
  })

  it('refuses a file that is not a gdmarket store (STORE_UNREADABLE, exit 5), names it and leaves it byte for byte', async () => {
    writeFileSync(file, kind.garbage)
    const error = await openRejection()
    expect(error.code).toBe('STORE_UNREADABLE')
    expect(error.exit).toBe(5)
    expect(error.message).toContain(file)
    expect(error.message).toContain('left untouched')
    expect(readFileSync(file, 'utf8')).toBe(kind.garbage)
  })

  it('starts from the initial state with an empty outbox when there is no file yet', async () => {
    const store = await open()
    expect(store.state).toEqual({count: 0})
    expect(store.events).toEqual([])
    expect(store.lastSeq).toBe(0)
    expect(store.publishedSeq).toBe(0)
    expect(store.kind).toBe(kind.kind)
  })

  it('reopens with the same state, events, inbox marks and outbox', async () => {
    const events = [envelope(registered(), {seq: 1}), envelope(registered({itemNo: 2, itemName: 'Tent', itemPrice: 40}), {seq: 2})]
    const incoming = envelope(reserved(1), {seq: 7})
    const store = await open()
    await store.commit({state: {count: 3}, events, incoming})
    store.markPublished(1)
    await store.flush()

    const reopened = await open()
    expect(reopened.state).toEqual({count: 3})
    expect(reopened.events).toEqual(events)
    expect(reopened.lastSeq).toBe(2)
    expect(reopened.publishedSeq).toBe(1)
    expect(reopened.unpublished()).toEqual([events[1]])
    expect(reopened.hasApplied('reservation', 7)).toBe(true)
    expect(reopened.hasApplied('reservation', 6)).toBe(false)
    expect(reopened.hasApplied('payment', 7)).toBe(false)
  })

  it('kill -9 at any moment: the files as they are between any two commits open with every acknowledged one, whole', async () => {
    const store = await open()
    for (let seq = 1; seq <= 12; seq++) {
      // an event of its own and one it applied: two events evolved a commit
      const commit = store.commit({state: {count: 2 * seq}, events: [envelope(item(seq), {seq})], incoming: envelope(reserved(seq), {seq})})
      const inFlight = mkdtempSync(join(dir, 'crash-'))
      crashCopy(dir, inFlight) // taken while the commit is on its way: it is there whole or not at all
      await commit
      const acknowledged = mkdtempSync(join(dir, 'crash-'))
      crashCopy(dir, acknowledged)
      if (seq === 6) await store.flush() // a snapshot in between
      for (const [copy, least] of [[inFlight, seq - 1], [acknowledged, seq]] as const) {
        const after = await open(kind.file(copy))
        await after.settleTail(false)
        expect(after.lastSeq).toBeGreaterThanOrEqual(least)
        expect(after.lastSeq).toBeLessThanOrEqual(seq)
        // the state, the outbox and the inbox agree: no commit is there in part
        expect(after.state).toEqual({count: 2 * after.lastSeq})
        expect(after.appliedUpTo('reservation')).toBe(after.lastSeq)
      }
    }
  })

  it('a full disk: the commit that hit it fails as "no space left on device", nothing after is acknowledged, and it reopens with what was', async () => {
    const store = await open()
    await store.commit({state: {count: 1}, events: [envelope(item(1), {seq: 1})]})
    const spaceBack = kind.fill(store as ServiceStore<unknown>)
    // more than the free room of the pages it has
    const many = Array.from({length: 40}, (_, i) => envelope(registered({itemNo: 2 + i, itemName: 'x'.repeat(200), itemPrice: 10}), {seq: 2 + i}))
    const lost = store.commit({state: {count: 41}, events: many})
    const onTop = store.commit({state: {count: 42}, events: [envelope(item(42), {seq: 42})]}) // decided on top of it, while it was on its way
    const error = await lost.catch((e: unknown) => e)
    expect(storageProblem(error, dir, 'item')?.message).toContain('no space left on device')
    await expect(onTop).rejects.toBeDefined()
    spaceBack() // space is back: still nothing more, memory is ahead of the disk
    await expect(store.commit({state: {count: 43}, events: [envelope(item(43), {seq: 43})]})).rejects.toBeDefined()
    await expect(store.durable()).rejects.toBeDefined()
    await expect(store.flush()).rejects.toBeDefined()

    const reopened = await open()
    await reopened.settleTail(false)
    expect(reopened.lastSeq).toBe(1)
    expect(reopened.state).toEqual({count: 1})
  })

  it('a torn last write: it opens with the commits before it, whole, and goes on from there', async () => {
    const store = await open()
    for (let seq = 1; seq <= 5; seq++) await store.commit({state: {count: seq}, events: [envelope(item(seq), {seq})]})
    const crashed = mkdtempSync(join(dir, 'crash-'))
    crashCopy(dir, crashed)
    kind.tearLastCommit(kind.file(crashed))
    const reopened = await open(kind.file(crashed))
    await reopened.settleTail(false)
    expect(reopened.lastSeq).toBe(4)
    expect(reopened.state).toEqual({count: 4})
    await reopened.commit({state: {count: 5}, events: [envelope(item(9), {seq: 5})]})
    expect((await open(kind.file(crashed))).events.map((e) => (e.data as {itemNo: number}).itemNo)).toEqual([1, 2, 3, 4, 9])
  })

  it('a torn snapshot: refused with one line naming the file, never served, left byte for byte', async () => {
    const store = await open()
    for (let seq = 1; seq <= 200; seq++) await store.commit({state: {count: seq}, events: [envelope(item(seq), {seq})]})
    await store.close()
    kind.tearSnapshot(file)
    const before = bytesOf(dir)
    const error = await openRejection()
    expect(error.code).toBe('STORE_UNREADABLE')
    expect(error.message).toContain(file)
    expect(error.message.split('\n')).toHaveLength(1)
    expect(bytesOf(dir)).toEqual(before)
  })

  it('after a snapshot, replays only what the snapshot does not hold', async () => {
    const store = await open()
    await store.commit({state: {count: 1}, events: [envelope(registered(), {seq: 1})]})
    await store.flush()
    await store.commit({state: {count: 2}, events: [envelope(registered(), {seq: 2})]})
    const reopened = await open()
    expect(reopened.state).toEqual({count: 2})
    expect(reopened.events.map((e) => e.seq)).toEqual([1, 2])
  })

  it("keeps its files private (0600): they hold customers' names", async () => {
    const store = await open()
    await store.commit({state: {count: 1}, events: [envelope(registered(), {seq: 1})]})
    await store.flush()
    await store.commit({state: {count: 2}, events: [envelope(registered(), {seq: 2})]})
    expect(storeFiles(dir).length).toBeGreaterThan(0)
    for (const name of storeFiles(dir)) expect([name, statSync(join(dir, name)).mode & 0o777]).toEqual([name, 0o600])
  })

  describe('what it has seen of another service', () => {
    const res = (seq: number) => envelope(reserved(seq), {seq})

    it('its inbox mark, with the events it holds early: the evidence a store behind it is judged by', async () => {
      const store = await open()
      await store.commit({state: {count: 1}, incoming: res(1)})
      await store.commit({state: {count: 1}, hold: res(3)})
      expect(store.seenOf('reservation')).toEqual({upTo: 1, above: [], held: [3]})
      expect(store.seenOf('payment')).toEqual({upTo: 0, above: [], held: []})
      const reopened = await open()
      expect(reopened.seenOf('reservation')).toEqual({upTo: 1, above: [], held: [3]})
    })

    it('the events it still holds whole: since its snapshot before last, held early, dead-lettered; in seq order, after a seq, at most a page', async () => {
      const store = await open()
      await store.commit({state: {count: 1}, incoming: res(1)})
      await store.commit({state: {count: 2}, incoming: res(2)})
      await store.flush() // 1 and 2 are now before the last snapshot
      await store.commit({state: {count: 3}, incoming: res(3)})
      await store.commit({state: {count: 3}, deadLetter: {event: res(4), error: 'boom', attempts: 3, at: 'now'}})
      await store.commit({state: {count: 3}, hold: res(6)})
      await store.commit({state: {count: 4}, incoming: envelope(registered(), {seq: 5})}) // another source's
      expect((await store.witnessed('reservation', 0, 100)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 6])
      expect((await store.witnessed('reservation', 2, 2)).map((e) => e.seq)).toEqual([3, 4])
      await store.flush()
      await store.commit({state: {count: 5}, incoming: res(7)})
      await store.flush()
      // two snapshots since 3 was applied: it is known by seq only (the dead letter and the held event are kept)
      expect((await store.witnessed('reservation', 0, 100)).map((e) => e.seq)).toEqual([4, 6, 7])
      const reopened = await open()
      expect(reopened.deadLetters.map((d) => d.event.seq)).toEqual([4])
      expect(reopened.held('reservation').map((e) => e.seq)).toEqual([6])
    })
  })
})

describe('the SQLite kind: a database and its write-ahead log', () => {
  const frames = (wal: Buffer) => {
    const size = 24 + wal.readUInt32BE(8)
    return Array.from({length: Math.floor((wal.length - 32) / size)}, (_, i) => ({at: 32 + i * size, commit: wal.readUInt32BE(32 + i * size + 4) !== 0, size}))
  }
  /** Six commits, left as a kill -9 leaves them: in the -wal. */
  const crashed = async () => {
    file = join(dir, 'item.sqlite')
    const store = await open()
    for (let seq = 1; seq <= 6; seq++) await store.commit({state: {count: seq}, events: [envelope(item(seq), {seq})]})
    const copy = mkdtempSync(join(dir, 'crash-'))
    crashCopy(dir, copy)
    return join(copy, 'item.sqlite')
  }

  it('a -wal damaged before its end is refused with one line, untouched: SQLite would quietly drop the commits after the damage', async () => {
    const at = await crashed()
    const wal = readFileSync(`${at}-wal`)
    const second = frames(wal).filter((f) => f.commit)[1] // the first commit made the tables: this is seq 1, and 5 follow
    wal.fill(7, second.at + 100, second.at + 200) // inside the second commit's last frame
    writeFileSync(`${at}-wal`, wal)
    const before = bytesOf(join(at, '..'))
    const error = await openRejection(at)
    expect(error.code).toBe('STORE_UNREADABLE')
    expect(error.message).toMatch(/its -wal is damaged before its end: 5 committed transactions after the damage would be lost/)
    expect(bytesOf(join(at, '..'))).toEqual(before)
  })

  it('a last transaction torn inside (what a crash can leave): the commits before it, as SQLite recovers them', async () => {
    const at = await crashed()
    const wal = readFileSync(`${at}-wal`)
    const all = frames(wal)
    const commits = all.map((f, i) => (f.commit ? i : -1)).filter((i) => i >= 0)
    const first = commits.at(-2)! + 1 // the last transaction's first frame
    expect(commits.at(-1)! - first).toBeGreaterThan(0) // it has frames before its commit frame
    wal.fill(7, all[first].at + 100, all[first].at + 200)
    writeFileSync(`${at}-wal`, wal)
    const reopened = await open(at)
    expect(reopened.lastSeq).toBe(5)
    expect(reopened.state).toEqual({count: 5})
  })

  it('a snapshot between commits is written in parts while commits go on; until its last transaction the old one and the journal rows are what opens', async () => {
    file = join(dir, 'item.sqlite')
    const store = await open()
    const commitSeq = (seq: number) => store.commit({state: {count: 2 * seq}, events: [envelope(item(seq), {seq})], incoming: envelope(reserved(seq), {seq})})
    for (let seq = 1; seq <= 5; seq++) await commitSeq(seq)
    const files = (store as unknown as {files: {writeInParts(): void; writing?: Promise<void>; db: {prepare(s: string): {all(...a: unknown[]): unknown[]; run(...a: unknown[]): unknown}}}}).files
    files.db.prepare('INSERT INTO snapshot_part (n, part, text) VALUES (99, 0, ?)').run('{') // what a killed attempt left
    const killed = mkdtempSync(join(dir, 'crash-'))
    crashCopy(dir, killed) // parts written, the last transaction not: the snapshot before and the journal rows open
    expect((await open(join(killed, 'item.sqlite'))).state).toEqual({count: 10})
    files.writeInParts()
    const during = commitSeq(6) // goes in while the parts are written
    await Promise.all([files.writing, during])
    expect(files.db.prepare('SELECT n, state FROM snapshot').all()).toEqual([{n: 5, state: ''}])
    expect(files.db.prepare('SELECT n, part FROM snapshot_part').all()).toEqual([{n: 5, part: 0}])
    expect(files.db.prepare('SELECT n FROM journal').all()).toEqual([1, 2, 3, 4, 5, 6].map((n) => ({n}))) // since the snapshot before last
    const reopened = await open()
    expect(reopened.state).toEqual({count: 12})
    expect(reopened.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6])
    // a graceful stop puts the state back in one row, the parts gone
    await reopened.close()
    const again = await open()
    expect(again.state).toEqual({count: 12})
    const db = (again as unknown as {files: typeof files}).files.db
    expect(db.prepare('SELECT count(*) AS parts FROM snapshot_part').all()).toEqual([{parts: 0}])
  })

  it('keeps its bookkeeping in tables a person can query, in WAL mode with synchronous=FULL', async () => {
    file = join(dir, 'item.sqlite')
    const store = await open()
    await store.commit({state: {count: 2}, events: [envelope(item(1), {seq: 1})], incoming: envelope(reserved(4), {seq: 1})})
    const db = (store as unknown as {files: {db: {pragma(p: string, o?: object): unknown; prepare(s: string): {all(): unknown[]}}}}).files.db
    expect(db.pragma('journal_mode', {simple: true})).toBe('wal')
    expect(db.pragma('synchronous', {simple: true})).toBe(2) // FULL
    expect(db.prepare('SELECT seq, type FROM events').all()).toEqual([{seq: 1, type: 'ItemRegistered'}])
    expect(db.prepare('SELECT source, up_to, above FROM inbox').all()).toEqual([{source: 'reservation', up_to: 1, above: '[]'}])
  })
})

describe('the JSON kind: a snapshot and a journal of lines', () => {
  describe('when the file cannot be parsed', () => {
    it('refuses to open (STORE_UNREADABLE, exit 5), names the file and leaves it byte-for-byte untouched', async () => {
      writeFileSync(file, '{not json')
      const before = readFileSync(file)
      const error = await openRejection()
      expect(error.code).toBe('STORE_UNREADABLE')
      expect(error.exit).toBe(5)
      expect(error.message).toContain(file)
      expect(error.message).toContain('left untouched')
      expect(readFileSync(file).equals(before)).toBe(true)
    })

    it('refuses JSON that is not a gdmarket store, and leaves it untouched', async () => {
      writeFileSync(file, '{"format": 1, "state": {}, "events": "oops"}\n')
      const before = readFileSync(file)
      const error = await openRejection()
      expect(error.code).toBe('STORE_UNREADABLE')
      expect(error.message).toMatch(/not a gdmarket store: events is wrong/)
      expect(readFileSync(file).equals(before)).toBe(true)
    })
  })

  describe('when the file holds a JSON value that is not an object', () => {
    it.each(['null', '0', 'false'])('refuses %s and leaves the file untouched', async (content) => {
      writeFileSync(file, content)
      expect((await openRejection()).code).toBe('STORE_UNREADABLE')
      expect(readFileSync(file, 'utf8')).toBe(content)
    })
  })

  describe('the journal', () => {
    const journal = () => file.replace(/\.json$/, '.journal')

    it('keeps each commit as one line, replayed with evolve on open, without rewriting the snapshot', async () => {
      const store = await ServiceStore.open('item', file, initial, count)
      await store.commit({state: {count: 1}, events: [envelope(registered(), {seq: 1})]})
      await store.commit({state: {count: 2}, incoming: envelope(reserved(1), {seq: 1})})
      expect(existsSync(file)).toBe(false) // no snapshot yet: commits cost one appended line each
      expect(readFileSync(journal(), 'utf8').trim().split('\n')).toHaveLength(2)

      const reopened = await ServiceStore.open('item', file, initial, count)
      expect(reopened.state).toEqual({count: 2})
      expect(reopened.lastSeq).toBe(1)
      expect(reopened.hasApplied('reservation', 1)).toBe(true)
    })

    it('leaves a line torn by a crash at the end as it is until told, then drops it, says so, and goes on', async () => {
      const store = await ServiceStore.open('item', file, initial, count)
      await store.commit({state: {count: 1}, events: [envelope(registered(), {seq: 1})]})
      appendFileSync(journal(), '{"n":2,"own":[{"id"')
      const text = readFileSync(journal(), 'utf8')
      const reopened = await ServiceStore.open('item', file, initial, count)
      expect(reopened.state).toEqual({count: 1})
      expect(reopened.tail).toEqual({kind: 'torn', bytes: 19, ownSeqs: []})
      expect(readFileSync(journal(), 'utf8')).toBe(text) // nothing changed before the followers are heard
      await expect(reopened.commit({state: {count: 2}, events: [envelope(registered(), {seq: 2})]})).rejects.toThrow('not settled')
      await reopened.settleTail(false)
      expect(reopened.openNotes).toEqual([expect.stringMatching(/^dropped the torn last line of .*item\.journal \(19 bytes\): no follower has seen it/)])
      await reopened.commit({state: {count: 2}, events: [envelope(registered(), {seq: 2})]})
      const again = await ServiceStore.open('item', file, initial, count)
      expect(again.lastSeq).toBe(2)
      expect(again.tail).toBeUndefined()
    })

    describe('a whole last record that lost its newline', () => {
      const unterminated = async () => {
        const store = await ServiceStore.open('item', file, initial, count)
        await store.commit({state: {count: 1}, events: [envelope(registered(), {seq: 1})]})
        await store.commit({state: {count: 2}, events: [envelope(registered(), {seq: 2})]})
        const text = readFileSync(journal(), 'utf8')
        writeFileSync(journal(), text.slice(0, -1))
        return text
      }

      it('is not replayed until judged, and names the seqs of its events: whether a follower has seen them decides', async () => {
        await unterminated()
        const reopened = await ServiceStore.open('item', file, initial, count)
        expect(reopened.lastSeq).toBe(1)
        expect(reopened.tail).toMatchObject({kind: 'unterminated', ownSeqs: [2]})
      })

      it('kept (a follower has seen it): replayed, and its newline restored, so no seq is given out twice', async () => {
        const text = await unterminated()
        const reopened = await ServiceStore.open('item', file, initial, count)
        await reopened.settleTail(true)
        expect(reopened.lastSeq).toBe(2)
        expect(reopened.state).toEqual({count: 2})
        expect(reopened.openNotes).toEqual([])
        expect(readFileSync(journal(), 'utf8')).toBe(text)
        await reopened.commit({state: {count: 3}, events: [envelope(registered(), {seq: 3})]})
        expect((await ServiceStore.open('item', file, initial, count)).lastSeq).toBe(3)
      })

      it('dropped (nobody has seen it): it was never acknowledged, and its seq is given out again', async () => {
        await unterminated()
        const reopened = await ServiceStore.open('item', file, initial, count)
        await reopened.settleTail(false)
        expect(reopened.lastSeq).toBe(1)
        expect(reopened.openNotes).toEqual([expect.stringMatching(/^dropped the last record, whole but without its newline, of .*: no follower has seen it/)])
        await reopened.commit({state: {count: 2}, events: [envelope(registered({itemNo: 9, itemName: 'Lamp', itemPrice: 5}), {seq: 2})]})
        const again = await ServiceStore.open('item', file, initial, count)
        expect(again.events.map((e) => (e.data as {itemNo: number}).itemNo)).toEqual([1, 9])
      })
    })

    it('refuses a journal with a bad line before its end, and leaves both files untouched', async () => {
      writeFileSync(journal(), 'garbage\n{"n":1}\n')
      expect((await openRejection()).message).toContain('line 1')
      expect(readFileSync(journal(), 'utf8')).toBe('garbage\n{"n":1}\n')
    })

  })

  describe('what it has seen of another service', () => {
    const journal = () => file.replace(/\.json$/, '.journal')
    const res = (seq: number) => envelope(reserved(seq), {seq})

    it('keeps the journal a snapshot ended as <name>.journal.prev, and an empty one does not replace it', async () => {
      const store = await ServiceStore.open('item', file, initial, count)
      await store.commit({state: {count: 1}, incoming: res(1)})
      await store.flush()
      const previous = readFileSync(`${journal()}.prev`, 'utf8')
      expect(previous).toContain('"seq":1')
      await store.flush() // nothing new since: the older evidence stays
      expect(readFileSync(`${journal()}.prev`, 'utf8')).toBe(previous)
      expect(readFileSync(journal(), 'utf8')).toBe('')
    })

  })

  describe('a snapshot put back without its journal', () => {
    it('refuses a journal that does not go on from the snapshot, and leaves both untouched', async () => {
      const store = await ServiceStore.open('item', file, initial, count)
      await store.commit({state: {count: 1}, events: [envelope(registered(), {seq: 1})]})
      await store.flush()
      const older = readFileSync(file)
      // two snapshots later: .prev (record 3) does not go on from it either (one snapshot later, it would: what a crash before the rename leaves)
      for (const seq of [2, 3]) {
        await store.commit({state: {count: seq}, events: [envelope(registered(), {seq})]})
        await store.flush()
      }
      await store.commit({state: {count: 4}, events: [envelope(registered(), {seq: 4})]})
      writeFileSync(file, older) // the backup: it ends at record 1, .prev holds record 3, the journal record 4
      const journalText = readFileSync(file.replace(/\.json$/, '.journal'), 'utf8')
      const error = await openRejection()
      expect(error.message).toMatch(/item\.journal goes on from record 3 but the snapshot ends at record 1: they are not one store/)
      expect(readFileSync(file).equals(older)).toBe(true)
      expect(readFileSync(file.replace(/\.json$/, '.journal'), 'utf8')).toBe(journalText)
    })
  })

  describe('a snapshot written in the background', () => {
    const journal = () => file.replace(/\.json$/, '.journal')
    const commitSeq = (store: ServiceStore<Counter>, seq: number) =>
      // an event of its own and one it applied: two events evolved a commit
      store.commit({state: {count: 2 * seq}, events: [envelope(item(seq), {seq})], incoming: envelope(reserved(seq), {seq})})

    it('a crash between the rotation and the rename: the snapshot before, <name>.journal.prev and the journal replay whole, in order, once', async () => {
      const store = await open()
      for (let seq = 1; seq <= 3; seq++) await commitSeq(store, seq)
      await store.flush()
      const snapshotBefore = readFileSync(file) // record 3
      for (let seq = 4; seq <= 6; seq++) await commitSeq(store, seq)
      const rotated = readFileSync(journal()) // records 4–6: what the rotation makes .prev
      await store.flush()
      const written = readFileSync(file)
      for (let seq = 7; seq <= 8; seq++) await commitSeq(store, seq)
      // kill -9 after the rotation, with 7 and 8 acknowledged in the new journal, before the new snapshot's rename
      const crashed = mkdtempSync(join(dir, 'crash-'))
      writeFileSync(join(crashed, 'item.json'), snapshotBefore)
      writeFileSync(join(crashed, 'item.journal.prev'), rotated)
      writeFileSync(join(crashed, 'item.journal'), readFileSync(journal()))
      writeFileSync(join(crashed, '.item.json.writing'), written.subarray(0, written.length >> 1)) // the half-written temp file
      const at = join(crashed, 'item.json')

      const after = await open(at)
      expect(existsSync(join(crashed, '.item.json.writing'))).toBe(false) // the cut-short snapshot is gone, not left to fill the disk
      expect(after.tail).toBeUndefined()
      expect(after.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
      expect(after.state).toEqual({count: 16}) // each commit's two events evolved once: 16, not 22 (doubled) nor 10 (a gap)
      expect(after.appliedUpTo('reservation')).toBe(8)
      expect((await after.records()).map((r) => r.n)).toEqual([4, 5, 6, 7, 8]) // the evidence is all there

      // its next snapshot must not rotate over the .prev the snapshot on disk does not hold
      await commitSeq(after, 9)
      await after.flush()
      expect(readFileSync(`${at.replace(/\.json$/, '.journal')}.prev`).equals(rotated)).toBe(true)
      const again = await open(at)
      expect(again.state).toEqual({count: 18})
      expect(again.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    })

    it('commits go on into the new journal while it is written, and a graceful stop waits for it to be in place', async () => {
      const store = await open()
      for (let seq = 1; seq <= 300; seq++) await commitSeq(store, seq)
      const stop = store.flush()
      const during = [301, 302, 303].map((seq) => commitSeq(store, seq))
      await Promise.all([stop, ...during])
      expect(existsSync(join(dir, '.item.json.writing'))).toBe(false)
      const reopened = await open()
      expect(reopened.state).toEqual({count: 606})
      expect(reopened.events).toHaveLength(303)
      expect(reopened.appliedUpTo('reservation')).toBe(303)
    })
  })
})
