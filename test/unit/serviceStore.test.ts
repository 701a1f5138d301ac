import {appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {GdError} from '../../src/errors.js'
import {ServiceStore} from '../../src/store/serviceStore.js'
import {envelope, registered, reserved} from './given.js'

interface Counter {
  count: number
}
const initial = (): Counter => ({count: 0})
/** every event counts one: replaying the journal must give the same count */
const count = (state: Counter): Counter => ({count: state.count + 1})

let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdmarket-store-'))
  file = join(dir, 'item.json')
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

const openRejection = async (): Promise<GdError> => {
  const error = await ServiceStore.open('item', file, initial, count).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(GdError)
  return error as GdError
}

describe('service store', () => {
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

  describe('when the file does not exist yet', () => {
    it('starts from the initial state with an empty outbox', async () => {
      const store = await ServiceStore.open('item', file, initial, count)
      expect(store.state).toEqual({count: 0})
      expect(store.events).toEqual([])
      expect(store.lastSeq).toBe(0)
      expect(store.publishedSeq).toBe(0)
    })
  })

  describe('when a change is committed', () => {
    it('reopens with the same state, events, inbox marks and outbox', async () => {
      const events = [envelope(registered(), {seq: 1}), envelope(registered({itemNo: 2, itemName: 'Tent', itemPrice: 40}), {seq: 2})]
      const incoming = envelope(reserved(1), {seq: 7})
      const store = await ServiceStore.open('item', file, initial, count)
      await store.commit({state: {count: 3}, events, incoming})
      store.markPublished(1)
      await store.flush()

      const reopened = await ServiceStore.open('item', file, initial, count)
      expect(reopened.state).toEqual({count: 3})
      expect(reopened.events).toEqual(events)
      expect(reopened.lastSeq).toBe(2)
      expect(reopened.publishedSeq).toBe(1)
      expect(reopened.unpublished()).toEqual([events[1]])
      expect(reopened.hasApplied('reservation', 7)).toBe(true)
      expect(reopened.hasApplied('reservation', 6)).toBe(false)
      expect(reopened.hasApplied('payment', 7)).toBe(false)
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

    it('after a snapshot, replays only the records the snapshot does not hold', async () => {
      const store = await ServiceStore.open('item', file, initial, count)
      await store.commit({state: {count: 1}, events: [envelope(registered(), {seq: 1})]})
      await store.flush() // snapshot, journal started again
      expect(readFileSync(journal(), 'utf8')).toBe('')
      await store.commit({state: {count: 2}, events: [envelope(registered(), {seq: 2})]})
      const reopened = await ServiceStore.open('item', file, initial, count)
      expect(reopened.state).toEqual({count: 2})
      expect(reopened.events.map((e) => e.seq)).toEqual([1, 2])
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

    it('its inbox mark, with the events it holds early: the evidence a store behind it is judged by', async () => {
      const store = await ServiceStore.open('item', file, initial, count)
      await store.commit({state: {count: 1}, incoming: res(1)})
      await store.commit({state: {count: 1}, hold: res(3)})
      expect(store.seenOf('reservation')).toEqual({upTo: 1, above: [], held: [3]})
      expect(store.seenOf('payment')).toEqual({upTo: 0, above: [], held: []})
    })

    it('the events it still holds whole: from both journals, held early, dead-lettered; in seq order, after a seq, at most a page', async () => {
      const store = await ServiceStore.open('item', file, initial, count)
      await store.commit({state: {count: 1}, incoming: res(1)})
      await store.commit({state: {count: 2}, incoming: res(2)})
      await store.flush() // 1 and 2 are now in item.journal.prev only
      await store.commit({state: {count: 3}, incoming: res(3)})
      await store.commit({state: {count: 3}, deadLetter: {event: res(4), error: 'boom', attempts: 3, at: 'now'}})
      await store.commit({state: {count: 3}, hold: res(6)})
      await store.commit({state: {count: 4}, incoming: envelope(registered(), {seq: 5})}) // another source's
      expect((await store.witnessed('reservation', 0, 100)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 6])
      expect((await store.witnessed('reservation', 2, 2)).map((e) => e.seq)).toEqual([3, 4])
      await store.flush()
      await store.commit({state: {count: 5}, incoming: res(7)})
      await store.flush()
      // two snapshots since 3 was applied: its journal is gone, it is known by seq only (the dead
      // letter and the held event are in the snapshot)
      expect((await store.witnessed('reservation', 0, 100)).map((e) => e.seq)).toEqual([4, 6, 7])
    })
  })

  describe('a snapshot put back without its journal', () => {
    it('refuses a journal that does not go on from the snapshot, and leaves both untouched', async () => {
      const store = await ServiceStore.open('item', file, initial, count)
      await store.commit({state: {count: 1}, events: [envelope(registered(), {seq: 1})]})
      await store.flush()
      const older = readFileSync(file)
      await store.commit({state: {count: 2}, events: [envelope(registered(), {seq: 2})]})
      await store.flush()
      await store.commit({state: {count: 3}, events: [envelope(registered(), {seq: 3})]})
      writeFileSync(file, older) // the backup: it ends at record 1, the journal goes on from record 2
      const journalText = readFileSync(file.replace(/\.json$/, '.journal'), 'utf8')
      const error = await openRejection()
      expect(error.message).toMatch(/goes on from record 2 but the snapshot ends at record 1: they are not one store/)
      expect(readFileSync(file).equals(older)).toBe(true)
      expect(readFileSync(file.replace(/\.json$/, '.journal'), 'utf8')).toBe(journalText)
    })
  })
})
