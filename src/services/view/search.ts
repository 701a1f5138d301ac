import type {Day} from '../../calendar.js'
import {overlaps, reversedProblem} from '../../calendar.js'
import type {FoundRow} from '../../contract/records.js'
import {DEFAULT_WITHIN_M} from '../../contract/routes.js'
import {badInput} from '../../errors.js'
import {parseDistance, parsePlace, type Place} from '../../place.js'
import type {ReadView} from '../state.js'
import {rowOn, viewRows, type ViewState} from './itemView.js'
import {itemsNear} from './placeIndex.js'

/** What a renter looks for (`view --near … --within … --search … --max-price … --free-from … --free-to …`): the filters combine. */
export interface Search {
  near?: {center: Place; radiusM: number}
  words?: string[]
  maxPrice?: number
  free?: {from: Day; to: Day}
}


/** Letters without their accents, in lower case: "Café" and "cafe" are the same word to a search. */
const folded = (text: string) => text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase()

/** A request's filters as a search, checked together (each field alone was checked by the contract); `home` is the setting. */
export function searchOf(
  filters: {near?: string; within?: string; q?: string; maxPrice?: number; freeFrom?: Day; freeTo?: Day},
  home: string,
): Search {
  const {near, within, q, maxPrice, freeFrom, freeTo} = filters
  if (within !== undefined && near === undefined) throw badInput('within is the radius around near: send near (LAT,LON or home) with it')
  if ((freeFrom === undefined) !== (freeTo === undefined)) throw badInput('freeFrom and freeTo go together: the first and the last day of the period')
  const reversed = freeFrom !== undefined && freeTo !== undefined ? reversedProblem(freeFrom, freeTo, {from: 'freeFrom', to: 'freeTo'}) : undefined
  if (reversed) throw badInput(reversed)
  if (near === 'home' && home === '') {
    throw badInput('near home needs the setting home, where "near me" starts; set it to your LAT,LON', 'NO_HOME', {command: 'config.set', key: 'home'})
  }
  const center = near === undefined ? undefined : (parsePlace(near === 'home' ? home : near) as Place)
  // words of letters and digits; a search of only other signs (😀) looks for them as they are, never for everything
  const split = q === undefined ? [] : folded(q).split(/[^\p{L}\p{N}]+/u).filter(Boolean)
  const words = q !== undefined && split.length === 0 ? [folded(q).trim()] : split
  return {
    ...(center ? {near: {center, radiusM: within === undefined ? DEFAULT_WITHIN_M : (parseDistance(within) as number)}} : {}),
    ...(words.length > 0 ? {words} : {}),
    ...(maxPrice !== undefined ? {maxPrice} : {}),
    ...(freeFrom !== undefined && freeTo !== undefined ? {free: {from: freeFrom, to: freeTo}} : {}),
  }
}

/**
 * The rows a search finds, as they read on `day`: near a place from the spatial index, nearest first with their
 * distance; else every row by item number. Then the words, the price and the free period.
 */
export function searchRows(state: ReadView<ViewState>, search: Search, day: Day): FoundRow[] {
  const rows: FoundRow[] = search.near
    ? itemsNear(state, search.near.center, search.near.radiusM).flatMap(({itemNo, distanceM}) => (state.rows[itemNo] ? [{...rowOn(state.rows[itemNo], day), distanceM}] : []))
    : viewRows(state, day)
  const booked = search.free ? bookedItems(state, search.free) : undefined
  return rows.filter(
    (row) =>
      (!search.words || search.words.every((word) => folded(row.itemName).includes(word))) &&
      (search.maxPrice === undefined || row.itemPrice <= search.maxPrice) &&
      (!booked || !booked.has(row.itemNo)),
  )
}

/** The items with a live booking that shares a day with the period (an undated one runs until returned). */
function bookedItems(state: ReadView<ViewState>, period: {from: Day; to: Day}): Set<number> {
  const booked = new Set<number>()
  for (const r of Object.values(state.reservations)) {
    if (r.reserved && !r.ended && overlaps({from: r.from ?? '0000-01-01', to: r.to ?? null}, period)) booked.add(r.itemNo)
  }
  return booked
}
