import {describe, expect, it} from 'vitest'

import type {DomainEvent} from '../../src/bus/events.js'
import {evolveView, initialViewState} from '../../src/services/view/itemView.js'
import {searchOf, searchRows} from '../../src/services/view/search.js'
import {envelope, fold} from './given.js'

const at = (itemNo: number, itemName: string, itemPrice: number, latitude?: number, longitude?: number): DomainEvent => ({
  type: 'ItemRegistered',
  data: {itemNo, itemName, itemPrice, ...(latitude === undefined ? {} : {latitude, longitude})},
})
const reserved = (reservationNo: number, itemNo: number, rentFrom?: string, rentTo?: string | null): DomainEvent => ({
  type: 'Reserved',
  data: {reservationNo, itemNo, itemName: 'x', itemPrice: 1, customerName: 'Kim', customerId: 'kim', ...(rentFrom ? {rentFrom, rentTo} : {})},
})

/** Seoul City Hall, and things around it */
const market = () =>
  fold(evolveView, initialViewState(), [
    at(1, 'Power drill', 8, 37.5665, 126.978), // at the hall
    at(2, 'Café table', 20, 37.5796, 126.977), // 1.5 km north
    at(3, 'Tent', 40, 37.4563, 126.7052), // Incheon, 26 km
    at(4, 'Ladder', 5), // no place
    at(5, 'Drill bits', 3, 37.5702, 126.9831), // 600 m
  ])
const found = (state: ReturnType<typeof market>, filters: Parameters<typeof searchOf>[0], home = '') =>
  searchRows(state, searchOf(filters, home)).map((r) => [r.itemNo, r.distanceM])

describe('finding things in the view', () => {
  it('near a place: only within the radius, nearest first, each with its distance; no place, not found', () => {
    expect(found(market(), {near: '37.5665,126.978', within: '2km'})).toEqual([
      [1, 0],
      [5, expect.any(Number)],
      [2, expect.any(Number)],
    ])
    const [, bits, table] = searchRows(market(), searchOf({near: '37.5665,126.978', within: '2km'}, ''))
    expect(bits.distanceM).toBeGreaterThan(500)
    expect(table.distanceM).toBeGreaterThan(bits.distanceM!)
    expect(found(market(), {near: '37.5665,126.978'}).map(([no]) => no)).toEqual([1, 5, 2]) // 5 km by default: not Incheon
    expect(found(market(), {near: '37.5665,126.978', within: '30km'}).map(([no]) => no)).toEqual([1, 5, 2, 3])
  })

  it('near home: the setting, or a refusal that says to set it', () => {
    expect(found(market(), {near: 'home', within: '700m'}, '37.5665,126.978').map(([no]) => no)).toEqual([1, 5])
    expect(() => searchOf({near: 'home'}, '')).toThrow(expect.objectContaining({code: 'NO_HOME', next: {command: 'config.set', key: 'home'}}))
  })

  it('words in the name, in any case and with or without accents; a maximum price; and they combine', () => {
    expect(found(market(), {q: 'DRILL'}).map(([no]) => no)).toEqual([1, 5])
    expect(found(market(), {q: 'cafe'}).map(([no]) => no)).toEqual([2])
    expect(found(market(), {q: '😀😀'})).toEqual([]) // signs only: looked for as they are, not everything
    expect(found(market(), {maxPrice: 5}).map(([no]) => no)).toEqual([4, 5])
    expect(found(market(), {near: '37.5665,126.978', q: 'drill', maxPrice: 5}).map(([no]) => no)).toEqual([5])
  })

  it('free for a period: no live booking on any of its days (an undated one runs until returned)', () => {
    const booked = fold(evolveView, market(), [reserved(1, 1, '2026-12-10', '2026-12-12'), reserved(2, 2)])
    expect(found(booked, {freeFrom: '2026-12-13', freeTo: '2026-12-14'}).map(([no]) => no)).toEqual([1, 3, 4, 5])
    expect(found(booked, {freeFrom: '2026-12-12', freeTo: '2026-12-13'}).map(([no]) => no)).toEqual([3, 4, 5])
    const cancelled = fold(evolveView, booked, [{type: 'ReservationCancelled', data: {reservationNo: 1, itemNo: 1, reason: 'customer'}}])
    expect(found(cancelled, {freeFrom: '2026-12-12', freeTo: '2026-12-13'}).map(([no]) => no)).toEqual([1, 3, 4, 5])
  })

  it('keeps its spatial index with the items: a deleted item is not found, a new one is', () => {
    const state = market()
    expect(found(state, {near: '37.5665,126.978', within: '1km'}).map(([no]) => no)).toEqual([1, 5])
    evolveView(state, envelope({type: 'ItemDeleted', data: {itemNo: 5, reservationNo: null}}))
    evolveView(state, envelope(at(6, 'Saw', 4, 37.567, 126.979)))
    expect(found(state, {near: '37.5665,126.978', within: '1km'}).map(([no]) => no)).toEqual([1, 6])
  })

  it('refuses filters that do not go together', () => {
    expect(() => searchOf({within: '2km'}, '')).toThrow(/within is the radius around near/)
    expect(() => searchOf({freeFrom: '2026-12-10'}, '')).toThrow(/freeFrom and freeTo go together/)
    expect(() => searchOf({freeFrom: '2026-12-10', freeTo: '2026-12-09'}, '')).toThrow(/is before freeFrom/)
  })
})
