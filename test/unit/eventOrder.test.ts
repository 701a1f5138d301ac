import {describe, expect, it} from 'vitest'

import type {Envelope} from '../../src/bus/events.js'
import {matchesFilter, mergeHistories, withSinceFirst} from '../../src/events/order.js'
import {describeEvent} from '../../src/cli/eventText.js'

let n = 0
const event = (time: string, source: Envelope['source'], type: Envelope['type'], correlationId = 'c1', id?: string): Envelope =>
  ({id: id ?? `id-${++n}`, source, type, time, correlationId, causationId: null, seq: n, data: {itemNo: 1, reservationNo: 1}}) as unknown as Envelope

describe('the event history of several services', () => {
  const reserved = event('2026-01-01T10:00:00.000Z', 'reservation', 'Reserved')
  const approved = event('2026-01-01T10:00:00.012Z', 'payment', 'PaymentApproved')
  const rented = event('2026-01-01T10:00:01.500Z', 'item', 'ItemRented')

  it('merges them in time order, whatever service each came from', () => {
    expect(mergeHistories([[rented], [reserved], [approved]]).map((e) => e.type)).toEqual(['Reserved', 'PaymentApproved', 'ItemRented'])
  })

  it('orders events of the same millisecond by id (UUIDv7 ids sort by creation)', () => {
    const a = event('2026-01-01T10:00:00.000Z', 'item', 'ItemDeleted', 'c1', '01a-2')
    const b = event('2026-01-01T10:00:00.000Z', 'reservation', 'ReservationCancelled', 'c1', '01a-1')
    expect(mergeHistories([[a], [b]]).map((e) => e.id)).toEqual(['01a-1', '01a-2'])
  })

  it('keeps the last N overall with a limit', () => {
    expect(mergeHistories([[reserved, rented], [approved]], 2).map((e) => e.type)).toEqual(['PaymentApproved', 'ItemRented'])
  })

  it('filters by type, source and correlation id, all of them at once', () => {
    const other = event('2026-01-01T10:00:02.000Z', 'reservation', 'Reserved', 'c2')
    const all = [reserved, approved, rented, other]
    expect(all.filter((e) => matchesFilter(e, {types: ['Reserved']}))).toEqual([reserved, other])
    expect(all.filter((e) => matchesFilter(e, {sources: ['payment', 'item']}))).toEqual([approved, rented])
    expect(all.filter((e) => matchesFilter(e, {correlationId: 'c2'}))).toEqual([other])
    expect(all.filter((e) => matchesFilter(e, {types: ['Reserved'], correlationId: 'c1'}))).toEqual([reserved])
    expect(all.filter((e) => matchesFilter(e, {}))).toEqual(all)
  })

  it('gives each event of a trace its time since the first', () => {
    expect(withSinceFirst([reserved, approved, rented]).map((e) => e.sinceFirstMs)).toEqual([0, 12, 1500])
    expect(withSinceFirst([])).toEqual([])
  })

  it('describes each event in words', () => {
    expect(describeEvent({...reserved, type: 'Reserved', data: {reservationNo: 1, itemNo: 2, itemName: 'Tent', itemPrice: 40, customerName: 'Kim', customerId: 'kim01'}} as Envelope)).toBe(
      'reservation 1: item 2 "Tent" for Kim (kim01)',
    )
    expect(describeEvent({...reserved, type: 'ReservationCancelled', data: {reservationNo: 1, itemNo: 2, reason: 'itemDeleted'}} as Envelope)).toBe(
      'reservation 1 of item 2, because the item was deleted',
    )
  })
})
