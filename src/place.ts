/**
 * Places on the Earth, in WGS84 decimal degrees, and distances on the sphere: how far an item is
 * from where a renter looks (docs/commands.md#finding-things). Pure functions: the contract, the
 * settings and the view's search share them.
 */
export interface Place {
  latitude: number
  longitude: number
}

/** the mean Earth radius (IUGG), in metres: distances on the sphere are within 0.5 % of the ellipsoid's */
const EARTH_RADIUS_M = 6_371_008.8
const DEGREES = /^\s*[-+]?\d{1,3}(\.\d{1,6})?\s*$/

/** What is wrong with a latitude or a longitude, or undefined: in range, at most 6 decimals (about 0.1 m). */
export function coordinateProblem(value: unknown, axis: 'latitude' | 'longitude'): string | undefined {
  const limit = axis === 'latitude' ? 90 : 180
  const what = `must be decimal degrees from -${limit} to ${limit} with at most 6 decimals`
  if (typeof value === 'string' && !DEGREES.test(value)) return what
  const degrees = Number(value)
  if ((typeof value !== 'number' && typeof value !== 'string') || !Number.isFinite(degrees) || Math.abs(degrees) > limit) return what
  return Number(degrees.toFixed(6)) === degrees ? undefined : what
}

/** `LAT,LON` → the place, or what is wrong with it. */
export function parsePlace(text: string): Place | {problem: string} {
  const parts = text.split(',')
  if (parts.length !== 2) return {problem: `"${text}" is not LAT,LON (decimal degrees, e.g. 37.5665,126.978)`}
  const [latitude, longitude] = parts
  const problem = coordinateProblem(latitude, 'latitude') ?? coordinateProblem(longitude, 'longitude')
  if (problem) return {problem: `"${text}": ${coordinateProblem(latitude, 'latitude') ? 'latitude' : 'longitude'} ${problem}`}
  return {latitude: Number(latitude), longitude: Number(longitude)}
}

/** `2km`, `500m`, `1.5km` → metres (at most 20,000 km: half the way round), or what is wrong with it. */
export function parseDistance(text: string): number | {problem: string} {
  const match = /^\s*(\d{1,8}(?:\.\d{1,3})?)\s*(m|km)\s*$/i.exec(text)
  const metres = match ? Number(match[1]) * (match[2].toLowerCase() === 'km' ? 1000 : 1) : NaN
  if (!(metres > 0) || metres > 20_000_000) return {problem: `"${text}" is not a distance such as 500m or 2km (more than 0, at most 20000km)`}
  return metres
}

const radians = (degrees: number) => (degrees * Math.PI) / 180

/** The great-circle distance between two places, in metres (haversine). */
export function distanceM(a: Place, b: Place): number {
  const dLat = radians(b.latitude - a.latitude)
  const dLon = radians(b.longitude - a.longitude)
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLon / 2) ** 2
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)))
}

/** A box in degrees: longitude on x, latitude on y (as a spatial index holds points). */
export interface Box {
  minX: number
  minY: number
  maxX: number
  maxY: number
}

/**
 * The boxes that hold every place within `radiusM` of `center`: one, or two where the circle
 * crosses the antimeridian; the whole band of longitudes where it reaches a pole. Whatever is in
 * them is then measured on the sphere: a box is only where to look.
 */
export function boxesAround(center: Place, radiusM: number): Box[] {
  const angle = radiusM / EARTH_RADIUS_M
  const dLat = angle * (180 / Math.PI)
  const minY = center.latitude - dLat
  const maxY = center.latitude + dLat
  // the circle's widest longitudes (J. Matuschek, "Finding points within a distance of a latitude/longitude")
  const reach = Math.sin(angle) / Math.cos(radians(center.latitude))
  if (minY <= -90 || maxY >= 90 || reach >= 1) return [{minX: -180, minY: Math.max(minY, -90), maxX: 180, maxY: Math.min(maxY, 90)}]
  const dLon = Math.asin(reach) * (180 / Math.PI)
  const minX = center.longitude - dLon
  const maxX = center.longitude + dLon
  if (minX < -180) return [{minX: minX + 360, minY, maxX: 180, maxY}, {minX: -180, minY, maxX, maxY}]
  if (maxX > 180) return [{minX, minY, maxX: 180, maxY}, {minX: -180, minY, maxX: maxX - 360, maxY}]
  return [{minX, minY, maxX, maxY}]
}
