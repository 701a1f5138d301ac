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

    it('drops a line torn by a crash at the end (never acknowledged), says so, and goes on', async () => {
      const store = await ServiceStore.open('item', file, initial, count)
      await store.commit({state: {count: 1}, events: [envelope(registered(), {seq: 1})]})
      appendFileSync(journal(), '{"n":2,"own":[{"id"')
      const reopened = await ServiceStore.open('item', file, initial, count)
      expect(reopened.state).toEqual({count: 1})
      expect(reopened.openNotes).toEqual([expect.stringMatching(/^dropped the torn last line of .*item\.journal \(19 bytes, never acknowledged\)/)])
      await reopened.commit({state: {count: 2}, events: [envelope(registered(), {seq: 2})]})
      expect((await ServiceStore.open('item', file, initial, count)).lastSeq).toBe(2)
    })

    it('keeps a whole last record that only lost its newline, and restores the newline: no seq is given out twice', async () => {
      const store = await ServiceStore.open('item', file, initial, count)
      await store.commit({state: {count: 1}, events: [envelope(registered(), {seq: 1})]})
      await store.commit({state: {count: 2}, events: [envelope(registered(), {seq: 2})]})
      const text = readFileSync(journal(), 'utf8')
      writeFileSync(journal(), text.slice(0, -1)) // the acknowledged last record, without its newline
      const reopened = await ServiceStore.open('item', file, initial, count)
      expect(reopened.lastSeq).toBe(2)
      expect(reopened.openNotes).toEqual([])
      expect(readFileSync(journal(), 'utf8')).toBe(text)
      await reopened.commit({state: {count: 3}, events: [envelope(registered(), {seq: 3})]})
      expect((await ServiceStore.open('item', file, initial, count)).lastSeq).toBe(3)
    })

    it('refuses a journal with a bad line before its end, and leaves both files untouched', async () => {
      writeFileSync(journal(), 'garbage\n{"n":1}\n')
      expect((await openRejection()).message).toContain('line 1')
      expect(readFileSync(journal(), 'utf8')).toBe('garbage\n{"n":1}\n')
    })

    it('after a snapshot, replays only the records the snapshot does not hold', async () => {
      const store = await ServiceStore.open('item', file, initial, count)
      await store.commit({state: {count: 1}, events: [envelope(registered(), {seq: 1})]})
      await store.flush() // snapshot, journal emptied
      expect(readFileSync(journal(), 'utf8')).toBe('')
      await store.commit({state: {count: 2}, events: [envelope(registered(), {seq: 2})]})
      const reopened = await ServiceStore.open('item', file, initial, count)
      expect(reopened.state).toEqual({count: 2})
      expect(reopened.events.map((e) => e.seq)).toEqual([1, 2])
    })
  })
})
