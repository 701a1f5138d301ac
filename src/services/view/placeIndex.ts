import RBush from 'rbush'

import {boxesAround, distanceM, type Place} from '../../place.js'
import type {ReadView} from '../state.js'

interface Point {
  minX: number
  minY: number
  maxX: number
  maxY: number
  itemNo: number
}

/** What the index reads of the view's state: each item's number and place. */
type Places = ReadView<{items: Record<string, {itemNo: number; latitude?: number | null; longitude?: number | null}>}>

/**
 * The items with a place, in an R-tree (rbush) beside the view's state: a search near a place
 * looks only in the boxes around it, never at every item (docs/performance.md, growth). It is
 * made from the state the first time it is asked, and kept up to date as items come and go; a
 * store opened again has a new state, and so a new index.
 */
const indexes = new WeakMap<object, {tree: RBush<Point>; points: Map<number, Point>}>()

const pointOf = (itemNo: number, place: Place): Point => ({minX: place.longitude, minY: place.latitude, maxX: place.longitude, maxY: place.latitude, itemNo})

function indexOf(state: Places) {
  let index = indexes.get(state)
  if (!index) {
    const points = new Map<number, Point>()
    for (const item of Object.values(state.items)) {
      if (item.latitude != null && item.longitude != null) points.set(item.itemNo, pointOf(item.itemNo, item as Place))
    }
    const tree = new RBush<Point>()
    tree.load([...points.values()])
    index = {tree, points}
    indexes.set(state, index)
  }
  return index
}

/** Keeps an index that exists up to date: an item registered with a place, or deleted. */
export function placeChanged(state: Places, itemNo: number, place: Place | null): void {
  const index = indexes.get(state)
  if (!index) return
  const old = index.points.get(itemNo)
  if (old) index.tree.remove(old)
  index.points.delete(itemNo)
  if (place) {
    const point = pointOf(itemNo, place)
    index.points.set(itemNo, point)
    index.tree.insert(point)
  }
}

/** The items within `radiusM` of `center`, nearest first, with how far each is (whole metres). */
export function itemsNear(state: Places, center: Place, radiusM: number): {itemNo: number; distanceM: number}[] {
  const {tree} = indexOf(state)
  const found = boxesAround(center, radiusM).flatMap((box) => tree.search(box))
  return found
    .map((p) => ({itemNo: p.itemNo, distanceM: Math.round(distanceM(center, {latitude: p.minY, longitude: p.minX}))}))
    .filter((f) => f.distanceM <= radiusM)
    .sort((a, b) => a.distanceM - b.distanceM || a.itemNo - b.itemNo)
}
