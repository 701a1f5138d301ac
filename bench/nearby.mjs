// @ts-check
/**
 * Where the growth section's items are, and the search near a place it times at each size
 * (issue 19). Items lie on a grid 1 km apart, spiralling out from Seoul City Hall: the density is
 * the same at every size, so a 2 km search finds the same dozen items at 1k as at 100k and its
 * time shows what the spatial index costs as the market grows, not the size of the answer.
 */
import {Latencies} from './stats.mjs'

const CENTER = {latitude: 37.5665, longitude: 126.978}
const KM_PER_DEGREE = 111.32

/**
 * The n-th point (0-based) of a square spiral on the integer grid: 0 → (0,0), 1 → (1,0), 2 → (1,1)…
 * @param {number} n @returns {[number, number]}
 */
function spiral(n) {
  if (n === 0) return [0, 0]
  const ring = Math.ceil((Math.sqrt(n + 1) - 1) / 2)
  const side = 2 * ring
  const last = (side + 1) ** 2 - 1
  const back = last - n
  if (back < side) return [ring - back, -ring]
  if (back < 2 * side) return [-ring, -ring + (back - side)]
  if (back < 3 * side) return [-ring + (back - 2 * side), ring]
  return [ring, ring - (back - 3 * side)]
}

/** Where item `itemNo` lies: 1 km apart on the spiral around the centre, 6 decimals. @param {number} itemNo */
export function placeOf(itemNo) {
  const [x, y] = spiral(itemNo - 1)
  const latitude = CENTER.latitude + y / KM_PER_DEGREE
  const longitude = CENTER.longitude + x / (KM_PER_DEGREE * Math.cos((CENTER.latitude * Math.PI) / 180))
  return {latitude: Number(latitude.toFixed(6)), longitude: Number(longitude.toFixed(6))}
}

/**
 * `GET /itemInfoes?near=…&within=2km`, one at a time, `count` times: its p50 and p99, and how many
 * items it found.
 * @param {import('../dist/cli/gatewayClient.js').GatewayClient} gateway @param {number} count
 */
export async function timeNearSearch(gateway, count = 200) {
  const latencies = new Latencies()
  let found = 0
  const path = `/itemInfoes?near=${CENTER.latitude},${CENTER.longitude}&within=2km`
  for (let i = 0; i < count; i++) {
    const answer = await latencies.time('near', () => gateway.call('GET', path))
    found = /** @type {{_embedded: {itemInfoes: unknown[]}}} */ (answer)._embedded.itemInfoes.length
  }
  return {...latencies.summary().near, found, path}
}
