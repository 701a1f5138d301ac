import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {Envelope} from '../../src/bus/events.js'
import type {Log} from '../../src/runtime/log.js'
import {gatherEvidence} from '../../src/runtime/peerCheck.js'
import type {ServiceDefinition} from '../../src/runtime/service.js'
import {inOrderMade, recoverStore, unrecoverable} from '../../src/runtime/storeRecovery.js'
import {judge, storeBehind, type Evidence} from '../../src/runtime/storeVerdict.js'
import {reactReservation} from '../../src/services/reservation/decide.js'
import {evolveReservation, initialReservationState, type ReservationState} from '../../src/services/reservation/reservation.js'
import {ServiceStore, type SeenMark} from '../../src/store/serviceStore.js'
import {camera, deleted, envelope, registered, reservationCancelled, reserved, tent} from './given.js'

const quiet: Log = {info: () => {}, warn: () => {}, error: () => {}}
const mark = (upTo: number, above: number[] = [], held: number[] = []): SeenMark => ({upTo, above, held})
const evidence = (marks: Record<string, SeenMark>, notAsked: Evidence['notAsked'] = []): Evidence => ({marks: new Map(Object.entries(marks)), notAsked})

describe('a store judged by what its followers have seen of it', () => {
  it('is behind when any follower has applied a seq past its end: by how much, and who knows', () => {
    const verdict = judge({lastSeq: 300}, evidence({item: mark(448), payment: mark(300), view: mark(440, [442])}))
    expect(verdict).toEqual({keepTail: false, lastSeq: 300, behind: {from: 301, to: 448, knownBy: ['item', 'view']}})
    const error = storeBehind('reservation', verdict.behind!, '/d/reservation.journal')
    expect(error.code).toBe('STORE_BEHIND')
    expect(error.message).toBe(
      '148 reservation events are missing from the end of /d/reservation.journal (seq 301–448): item and view have applied them; ' +
        'the store was left as it is, so it does not serve: rebuild them from its followers',
    )
    expect(error.next).toEqual({command: 'store.recover', service: 'reservation'})
  })

  it('counts events a follower holds early as seen', () => {
    expect(judge({lastSeq: 5}, evidence({view: mark(5, [], [9])})).behind).toEqual({from: 6, to: 9, knownBy: ['view']})
  })

  it('is not behind when nobody has seen past its end (nor when nobody could be asked)', () => {
    expect(judge({lastSeq: 7}, evidence({item: mark(7), view: mark(3)}))).toEqual({keepTail: false, lastSeq: 7})
    expect(judge({lastSeq: 7}, evidence({}, [{name: 'item', why: 'stopped'}]))).toEqual({keepTail: false, lastSeq: 7})
  })

  describe('a whole last record without its newline', () => {
    const tail = {kind: 'unterminated' as const, bytes: 300, ownSeqs: [8]}

    it('is kept when a follower has applied its event: it was published, so acknowledged', () => {
      expect(judge({lastSeq: 7, tail}, evidence({item: mark(8), view: mark(7)}))).toEqual({keepTail: true, lastSeq: 8})
    })

    it('is dropped when every follower answered and none has seen it: it was never acknowledged', () => {
      expect(judge({lastSeq: 7, tail}, evidence({item: mark(7), view: mark(7)}))).toEqual({keepTail: false, lastSeq: 7})
    })

    it('is kept when a follower could not be asked: it may have been acknowledged, and nobody can say it was not', () => {
      expect(judge({lastSeq: 7, tail}, evidence({item: mark(7)}, [{name: 'view', why: 'stopped'}])).keepTail).toBe(true)
    })

    it('holding only what this service applied (no event of its own), is dropped: those events come again', () => {
      expect(judge({lastSeq: 7, tail: {...tail, ownSeqs: []}}, evidence({item: mark(9)})).keepTail).toBe(false)
    })
  })

  it('a torn last line is dropped; if anyone saw what it held, the store is behind by that', () => {
    const torn = {kind: 'torn' as const, bytes: 302, ownSeqs: []}
    expect(judge({lastSeq: 7, tail: torn}, evidence({item: mark(7)}))).toEqual({keepTail: false, lastSeq: 7})
    expect(judge({lastSeq: 7, tail: torn}, evidence({item: mark(8)})).behind).toEqual({from: 8, to: 8, knownBy: ['item']})
  })
})

describe('asking the followers at start', () => {
  it('asks again until each answers, does not wait for a stopped or errored one, and gives up on the silent after a bound', async () => {
    const asked: string[] = []
    const evidenceGot = await gatherEvidence({
      service: 'reservation',
      followers: ['item', 'payment', 'view', 'late'],
      ask: async (follower) => {
        asked.push(follower)
        // item is not subscribed yet at its first question; late never answers
        if (follower === 'late' || (follower === 'item' && asked.filter((a) => a === 'item').length === 1)) throw new Error('timeout')
        return mark(4)
      },
      stateOf: (follower) => (follower === 'payment' ? 'stopped' : 'offline'),
      boundMs: 300,
      retryMs: 10,
      log: quiet,
    })
    expect([...evidenceGot.marks.keys()].sort()).toEqual(['item', 'view'])
    expect(evidenceGot.notAsked).toEqual([
      {name: 'payment', why: 'stopped'},
      {name: 'late', why: 'no answer within 300 ms'},
    ])
    expect(asked.filter((a) => a === 'item').length).toBeGreaterThanOrEqual(2)
    expect(asked).not.toContain('payment')
  })

  it('takes only answers that are seen marks', async () => {
    const got = await gatherEvidence({
      service: 'item',
      followers: ['view'],
      ask: async () => ({upTo: 'lots'}),
      stateOf: () => 'online',
      boundMs: 100,
      retryMs: 10,
      log: quiet,
    })
    expect(got.marks.size).toBe(0)
    expect(got.notAsked).toEqual([{name: 'view', why: 'no answer within 100 ms'}])
  })
})

// ---- recovery, with the reservation service's real evolve and reactions ----

const reservations: ServiceDefinition<ReservationState> = {
  name: 'reservation',
  initialState: initialReservationState,
  follows: ['item', 'payment'],
  evolve: evolveReservation,
  react: reactReservation,
  handlers: () => ({}),
}

/** A UUIDv7-shaped id made at millisecond `ms`: ids sort in the order events were made. */
const at = (ms: number, n = 0) => `00000000-${String(ms).padStart(4, '0')}-7000-8000-${String(n).padStart(12, '0')}`

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdmarket-recover-'))
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

/**
 * A reservation store that kept seq 1 only; the followers applied 1–3; item made two items (the
 * second after the store's end) and deleted the first.
 */
async function lostStore() {
  const file = join(dir, 'reservation.json')
  const tentRegistered = envelope(registered(tent), {seq: 1, id: at(1)})
  const cameraRegistered = envelope(registered(camera), {seq: 2, id: at(3)})
  const own = [
    envelope(reserved(1, tent), {seq: 1, id: at(2)}),
    envelope(reserved(2, camera), {seq: 2, id: at(4)}),
    envelope(reserved(3, camera), {seq: 3, id: at(6)}), // never: see the test that uses it
  ]
  const store = await ServiceStore.open('reservation', file, reservations.initialState, reservations.evolve)
  await store.commit({state: reservations.evolve(store.state, tentRegistered), incoming: tentRegistered})
  await store.commit({state: reservations.evolve(store.state, own[0]), events: [own[0]]})
  return {store, file, own, itemEvents: [tentRegistered, cameraRegistered]}
}

const deps = (store: ServiceStore<ReservationState>, held: Record<string, Envelope[]>, itemEvents: Envelope[], marks: Record<string, SeenMark>) => {
  const ev = evidence(marks)
  return {
    def: reservations,
    store,
    evidence: ev,
    verdict: judge(store, ev) as never,
    witness: async (follower: string, afterSeq: number) => (held[follower] ?? []).filter((e) => e.seq > afterSeq),
    history: async (source: string, afterSeq: number, beforeSeq: number) =>
      source === 'item' ? itemEvents.filter((e) => e.seq > afterSeq && e.seq < beforeSeq) : [],
    log: quiet,
  }
}

describe('store recover', () => {
  it('rebuilds the missing events from the followers, replayed with the events it follows in the order they were made', async () => {
    const {store, own, itemEvents} = await lostStore()
    const report = await recoverStore(deps(store, {view: [own[1]], payment: [own[1]]}, itemEvents, {view: mark(2), payment: mark(2)}))
    expect(report.recovered).toEqual({from: 2, to: 2, count: 1})
    expect(report.from).toEqual({view: 1, payment: 1})
    expect(report.interleaved).toEqual({item: 1, payment: 0})
    expect(store.lastSeq).toBe(2)
    // the camera was registered before reservation 2 was made: replayed in that order, it is held by it
    expect(store.state.items[camera.itemNo].bookings).toEqual([2])
    expect(store.appliedUpTo('item')).toBe(2)
    expect(store.unpublished()).toEqual([]) // every follower that answered has it: not sent again
  })

  it('makes at the end a saga reaction it owed, and not one that is among the rebuilt events', async () => {
    const {store, own, itemEvents} = await lostStore()
    const gone = envelope(deleted(2, camera), {seq: 3, id: at(5)})
    const cancelled = envelope(reservationCancelled(2, camera, 'itemDeleted'), {seq: 3, id: at(6), causationId: gone.id})
    // reacted to before the loss: the reaction is rebuilt, not made again
    const withReaction = deps(store, {view: [own[1], cancelled]}, [...itemEvents, gone], {view: mark(3)})
    const report = await recoverStore(withReaction)
    expect(report.reactions).toBe(0)
    expect(store.events.map((e) => e.type)).toEqual(['Reserved', 'Reserved', 'ReservationCancelled'])
  })

  it('makes a reaction the lost store owed to an event it had applied before its last rebuilt one', async () => {
    const {store, own, itemEvents} = await lostStore()
    const gone = envelope(deleted(1, tent), {seq: 3, id: at(5)})
    const later = envelope(reserved(3, camera), {seq: 3, id: at(7)}) // made after the deletion, its reaction never seen
    const report = await recoverStore(deps(store, {view: [own[1], later]}, [...itemEvents, gone], {view: mark(3)}))
    expect(report.reactions).toBe(1)
    expect(store.events.at(-1)).toMatchObject({type: 'ReservationCancelled', seq: 4, data: {reservationNo: 1, reason: 'itemDeleted'}, causationId: gone.id})
  })

  it('writes nothing when no follower holds every missing event, and says which are known by their seq only', async () => {
    const {store, file, own, itemEvents} = await lostStore()
    const journal = readFileSync(file.replace(/\.json$/, '.journal'), 'utf8')
    const report = await recoverStore(deps(store, {view: [own[1]]}, itemEvents, {view: mark(3), item: mark(3)}))
    expect(report.recovered).toBeNull()
    expect(report.missing).toEqual({from: 3, to: 3, count: 1, knownBy: ['item', 'view']})
    expect(readFileSync(file.replace(/\.json$/, '.journal'), 'utf8')).toBe(journal)
    expect(store.lastSeq).toBe(1)
    const error = unrecoverable(report, '/d/reservation.journal')
    expect(error.exit).toBe(3)
    expect(error.message).toBe('reservation events 3 (1) cannot be recovered: item and view know them only by their seq; nothing was written to /d/reservation.journal')
    const asked = unrecoverable({...report, notAsked: [{name: 'payment', why: 'stopped'}]}, '/d/x')
    expect(asked.exit).toBe(5)
    expect(asked.message).toMatch(/not asked: payment \(stopped\): start it and try again$/)
  })

  it('names the first seqs nobody holds whole, and those after them that cannot go on without them', async () => {
    const {store, own, itemEvents} = await lostStore()
    const fourth = envelope(reserved(4, tent), {seq: 4, id: at(8)})
    const report = await recoverStore(deps(store, {view: [own[1], fourth]}, itemEvents, {view: mark(4)}))
    expect(report.missing).toEqual({from: 3, to: 3, count: 1, knownBy: ['view']})
    expect(report.blocked).toEqual({from: 4, to: 4, count: 1})
    expect(unrecoverable(report, '/d/x').message).toBe(
      'reservation events 3 (1) cannot be recovered: view knows them only by their seq, and the 1 after them (4) cannot go on without them; nothing was written to /d/x',
    )
  })

  it('takes from each follower only its service\'s events, in the range asked', async () => {
    const {store, own, itemEvents} = await lostStore()
    const forged = {...own[1], source: 'payment'}
    const report = await recoverStore(deps(store, {view: [forged as Envelope], item: [own[1]]}, itemEvents, {view: mark(2), item: mark(2)}))
    expect(report.from).toEqual({item: 1})
  })
})

describe('the order events were made in', () => {
  it('merges lists kept in seq order by the millisecond of their ids; within one, the others\' before this service\'s own', () => {
    const own = [envelope(reserved(1), {seq: 1, id: at(2, 9)}), envelope(reserved(2), {seq: 2, id: at(5)})]
    const item = [envelope(registered(), {seq: 1, id: at(2, 1)}), envelope(registered(tent), {seq: 2, id: at(2, 5)}), envelope(deleted(null), {seq: 3, id: at(6)})]
    const sameMs = envelope(registered(camera), {seq: 1, id: at(5, 99)})
    expect(inOrderMade([own, item]).map((e) => e.id)).toEqual([at(2, 1), at(2, 5), at(2, 9), at(5), at(6)])
    expect(inOrderMade([own, [sameMs]]).map((e) => e.id)).toEqual([at(2, 9), at(5, 99), at(5)])
  })
})
