import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'

import type {Envelope} from '../../src/bus/events.js'
import {EventConsumer} from '../../src/runtime/consumer.js'
import type {Log} from '../../src/runtime/log.js'
import {CATCH_UP_PAGE, GAP_WAIT_MS, Repair} from '../../src/runtime/repair.js'
import type {ServiceDefinition} from '../../src/runtime/service.js'
import {ServiceStore} from '../../src/store/serviceStore.js'
import {camera, envelope, registered} from './given.js'

interface Count {
  applied: number
}

const quiet: Log = {info: () => {}, warn: () => {}, error: () => {}}
const count = (state: Count): Count => ({applied: state.applied + 1})
const definition: ServiceDefinition<Count> = {
  name: 'view',
  initialState: () => ({applied: 0}),
  follows: ['item'],
  evolve: count,
  commands: {},
  handlers: () => ({}),
}

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdmarket-repair-'))
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

/** A view that applies item events, and an item service whose log holds `made` events. */
async function setUp(made: number, online = () => true) {
  const store = await ServiceStore.open('view', join(dir, 'view.json'), definition.initialState, count)
  const consumer = new EventConsumer(definition, store, quiet, () => {})
  const log: Envelope[] = Array.from({length: made}, (_, i) => envelope(registered({...camera, itemNo: i + 1}), {seq: i + 1}))
  const fetched: [number, number][] = []
  const repair = new Repair({
    consumer: consumer as EventConsumer<unknown>,
    store: store as ServiceStore<unknown>,
    log: quiet,
    fetch: async (_source, afterSeq, beforeSeq) => {
      fetched.push([afterSeq, beforeSeq])
      return log.filter((e) => e.seq > afterSeq && e.seq < beforeSeq)
    },
    apply: async (events) => {
      for (const event of events) await consumer.apply(event, true)
    },
    release: async (source, why) => consumer.release(source, why),
    isOnline: online,
  })
  return {store, consumer, repair, fetched, log}
}

describe('repair', () => {
  it('catches up page by page from the inbox position when the broker had no session, then stops asking', async () => {
    const made = CATCH_UP_PAGE * 2 + 5
    const {store, repair, fetched} = await setUp(made)
    repair.catchUp(['item'])
    for (let round = 0; round < 4; round++) await repair.tick()
    expect(store.appliedUpTo('item')).toBe(made)
    expect(store.state).toEqual({applied: made})
    expect(fetched.map(([after]) => after)).toEqual([0, CATCH_UP_PAGE, CATCH_UP_PAGE * 2])
  })

  it('does not ask a source that is offline, and catches up once it is online', async () => {
    let online = false
    const {store, repair, fetched} = await setUp(3, () => online)
    repair.catchUp(['item'])
    await repair.tick()
    expect(fetched).toEqual([])
    online = true
    await repair.tick()
    expect(store.appliedUpTo('item')).toBe(3)
  })

  it('events that came meanwhile are not applied twice: the inbox drops them', async () => {
    const {store, consumer, repair, log} = await setUp(4)
    await consumer.apply(log[0])
    await consumer.apply(log[1])
    repair.catchUp(['item'])
    await repair.tick()
    expect(store.state).toEqual({applied: 4})
    expect(consumer.counters.duplicates).toBe(0) // asked from seq 2 on: nothing fetched twice
  })

  describe('a held event far ahead of its source', () => {
    afterEach(() => vi.useRealTimers())
    const later = () => vi.setSystemTime(Date.now() + GAP_WAIT_MS + 1)

    it('is let go once the producer shows it has no such event, and nothing is asked again', async () => {
      vi.useFakeTimers({toFake: ['Date']})
      const {store, consumer, repair, fetched, log} = await setUp(3)
      await consumer.apply(log[0])
      expect(await consumer.apply(envelope(registered({...camera, itemNo: 99}), {seq: Number.MAX_SAFE_INTEGER}))).toBe('held')
      later()
      await repair.tick()
      expect(fetched).toEqual([[1, 1 + CATCH_UP_PAGE + 1]]) // one page, not 2^53 of them
      expect(store.appliedUpTo('item')).toBe(3) // the real events came in
      expect(store.held('item')).toEqual([])
      expect(store.state).toEqual({applied: 3})
      later()
      await repair.tick()
      expect(fetched).toHaveLength(1)
      // and a real event after it is applied, not held behind the forged one
      expect(await consumer.apply(envelope(registered({...camera, itemNo: 4}), {seq: 4}))).toBe('applied')
    })

    it('a real gap wider than a page is filled page by page and nothing is let go', async () => {
      vi.useFakeTimers({toFake: ['Date']})
      const made = CATCH_UP_PAGE * 2 + 3
      const {store, consumer, repair, fetched, log} = await setUp(made)
      expect(await consumer.apply(log[made - 1])).toBe('held')
      for (let round = 0; round < 3; round++) {
        later()
        await repair.tick()
      }
      expect(fetched.map(([after]) => after)).toEqual([0, CATCH_UP_PAGE, CATCH_UP_PAGE * 2])
      expect(store.appliedUpTo('item')).toBe(made)
      expect(store.state).toEqual({applied: made})
    })
  })
})
