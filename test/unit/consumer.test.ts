import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {Envelope} from '../../src/bus/events.js'
import {EventConsumer} from '../../src/runtime/consumer.js'
import type {Log} from '../../src/runtime/log.js'
import type {ServiceDefinition} from '../../src/runtime/service.js'
import {ServiceStore} from '../../src/store/serviceStore.js'
import {camera, envelope, event, registered, reserved} from './given.js'

interface Seen {
  types: string[]
}

const quiet: Log = {info: () => {}, warn: () => {}, error: () => {}}
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdmarket-consumer-'))
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

/** A consumer of item and reservation events that remembers the types it applied. */
function definition(evolve: ServiceDefinition<Seen>['evolve']): ServiceDefinition<Seen> {
  return {name: 'view', initialState: () => ({types: []}), follows: ['item', 'reservation'], evolve, commands: {}, handlers: () => ({})}
}
const remember = (state: Seen, event: Envelope): Seen => ({types: [...state.types, event.type]})

async function consumerWith(evolve: ServiceDefinition<Seen>['evolve']) {
  const file = join(dir, 'view.json')
  const store = await ServiceStore.open('view', file, () => ({types: []}), remember)
  return {store, file, consumer: new EventConsumer(definition(evolve), store, quiet, () => {})}
}

describe('event consumer', () => {
  it('applies an event once: a redelivery is recognised as a duplicate and changes nothing', async () => {
    const {store, consumer} = await consumerWith(remember)
    const event = envelope(registered(), {seq: 1})
    expect(await consumer.apply(event)).toBe('applied')
    expect(await consumer.apply(event)).toBe('duplicate')
    expect(store.state.types).toEqual(['ItemRegistered'])
    expect(consumer.counters.duplicates).toBe(1)
  })

  it('keeps the inbox mark with the change: after a restart the duplicate is still recognised', async () => {
    const {store, file, consumer} = await consumerWith(remember)
    const event = envelope(registered(), {seq: 1})
    await consumer.apply(event)
    await store.durable()
    const reopened = await ServiceStore.open('view', file, () => ({types: []}), remember)
    const again = new EventConsumer(definition(remember), reopened, quiet, () => {})
    expect(await again.apply(event)).toBe('duplicate')
    expect(reopened.state.types).toEqual(['ItemRegistered'])
  })

  it('does not count the broker\'s copy of an event that came first in an answer as a redelivery, but counts a second copy', async () => {
    const {consumer} = await consumerWith(remember)
    const event = envelope(registered(), {seq: 1})
    expect(await consumer.apply(event, true)).toBe('applied') // in a saga's reply
    expect(await consumer.apply(event)).toBe('duplicate') // the broker's copy, as expected
    expect(consumer.counters.duplicates).toBe(0)
    expect(await consumer.apply(event)).toBe('duplicate') // a real redelivery
    expect(consumer.counters.duplicates).toBe(1)
  })

  it('dead-letters an event that fails at once, without retrying a deterministic evolve, and goes on with the next one', async () => {
    let attempts = 0
    const {store, file, consumer} = await consumerWith((state, event) => {
      if (event.type === 'Reserved') {
        attempts++
        throw new Error('cannot apply this one')
      }
      return remember(state, event)
    })
    const poisonous = envelope(reserved(1), {seq: 1})
    expect(await consumer.apply(poisonous)).toBe('deadLettered')
    expect(attempts).toBe(1)
    expect(store.deadLetters).toEqual([
      {event: poisonous, error: 'cannot apply this one', attempts: 1, at: expect.any(String)},
    ])
    // marked applied: a redelivery is not tried again
    expect(await consumer.apply(poisonous)).toBe('duplicate')
    expect(await consumer.apply(envelope(registered(), {seq: 1}))).toBe('applied')
    expect(store.state.types).toEqual(['ItemRegistered'])
    const reopened = await ServiceStore.open('view', file, () => ({types: []}), remember)
    expect(reopened.deadLetters).toHaveLength(1)
  })

  it('applies at once and writes in groups: events applied meanwhile are all on disk once the store says durable', async () => {
    const {store, file, consumer} = await consumerWith(remember)
    const events = Array.from({length: 50}, (_, i) => envelope(registered({...camera, itemNo: i + 1}), {seq: i + 1}))
    for (const e of events) expect(await consumer.apply(e)).toBe('applied')
    expect(store.appliedUpTo('item')).toBe(50) // applied in memory: the next reader sees it
    await store.durable()
    const reopened = await ServiceStore.open('view', file, () => ({types: []}), remember)
    expect(reopened.appliedUpTo('item')).toBe(50)
    expect(reopened.state.types).toHaveLength(50)
  })

  it('applies each source in seq order: an early event is held until the gap before it fills', async () => {
    const {store, file, consumer} = await consumerWith(remember)
    const first = envelope(registered(), {seq: 1})
    const second = envelope(event('ItemRented', {itemNo: 1, reservationNo: 1}), {seq: 2})
    const third = envelope(event('ItemReturned', {itemNo: 1, reservationNo: 1}), {seq: 3})
    expect(await consumer.apply(third)).toBe('held')
    expect(await consumer.apply(second)).toBe('held')
    expect(await consumer.apply(third)).toBe('duplicate')
    expect(store.state.types).toEqual([])
    // held events are stored: once written, a restart keeps them
    await store.durable()
    expect((await ServiceStore.open('view', file, () => ({types: []}), remember)).held('item').map((e) => e.seq)).toEqual([2, 3])
    expect(consumer.gaps(0)).toEqual([{source: 'item', afterSeq: 0, beforeSeq: 2}])

    expect(await consumer.apply(first)).toBe('applied')
    expect(store.state.types).toEqual(['ItemRegistered', 'ItemRented', 'ItemReturned'])
    expect(store.held('item')).toEqual([])
    expect(store.appliedUpTo('item')).toBe(3)
    expect(consumer.gaps(0)).toEqual([])
  })

  it('keeps sources apart: one source waiting for a gap does not hold back another', async () => {
    const {store, consumer} = await consumerWith(remember)
    expect(await consumer.apply(envelope(registered(), {seq: 2}))).toBe('held')
    expect(await consumer.apply(envelope(reserved(1), {seq: 1}))).toBe('applied')
    expect(store.state.types).toEqual(['Reserved'])
  })
})
