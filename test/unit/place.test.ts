import {describe, expect, it} from 'vitest'

import {addDays, dayIn, dayProblem, daysIncluded, overlaps, timeZoneProblem} from '../../src/calendar.js'
import {boxesAround, coordinateProblem, distanceM, parseDistance, parsePlace} from '../../src/place.js'

const seoulCityHall = {latitude: 37.5665, longitude: 126.978}

describe('places (WGS84 decimal degrees)', () => {
  it('are LAT,LON in range with at most 6 decimals, numbers or text', () => {
    expect(parsePlace('37.5665,126.978')).toEqual(seoulCityHall)
    expect(parsePlace(' -33.8688 , 151.2093 ')).toEqual({latitude: -33.8688, longitude: 151.2093})
    expect(parsePlace('91,0')).toEqual({problem: expect.stringContaining('latitude must be decimal degrees from -90 to 90')})
    expect(parsePlace('0,180.0000001')).toEqual({problem: expect.stringContaining('longitude')})
    expect(parsePlace('37.5665')).toEqual({problem: expect.stringContaining('is not LAT,LON')})
    expect(coordinateProblem(37.1234567, 'latitude')).toMatch(/at most 6 decimals/)
    expect(coordinateProblem('1e2', 'longitude')).toBeDefined()
    expect(coordinateProblem(-180, 'longitude')).toBeUndefined()
  })

  it('measure distances on the sphere: Seoul to Busan is about 325 km, a point to itself 0', () => {
    expect(distanceM(seoulCityHall, {latitude: 35.1796, longitude: 129.0756}) / 1000).toBeCloseTo(325, -1)
    expect(distanceM(seoulCityHall, seoulCityHall)).toBe(0)
  })

  it('take radii as 500m or 2km', () => {
    expect(parseDistance('2km')).toBe(2000)
    expect(parseDistance('500 m')).toBe(500)
    expect(parseDistance('1.5KM')).toBe(1500)
    for (const bad of ['2', 'km', '0m', '-1km', '2 miles']) expect(parseDistance(bad)).toEqual({problem: expect.stringContaining('is not a distance')})
  })

  it('give the boxes to look in: one, two across the antimeridian, a band at a pole', () => {
    const [box] = boxesAround(seoulCityHall, 2000)
    expect(box.minY).toBeLessThan(37.5665)
    expect(box.maxX - box.minX).toBeCloseTo(0.045, 2) // 2 km each way at 37.6°N
    expect(boxesAround({latitude: 0, longitude: 179.99}, 5000)).toHaveLength(2)
    expect(boxesAround({latitude: 89.99, longitude: 0}, 5000)).toEqual([{minX: -180, minY: expect.any(Number), maxX: 180, maxY: 90}])
  })
})

describe('calendar days (YYYY-MM-DD, both ends included)', () => {
  it('are real dates', () => {
    expect(dayProblem('2026-12-10')).toBeUndefined()
    for (const bad of ['2026-02-30', '2026-13-01', '26-12-10', '2026-12-10T00:00']) expect(dayProblem(bad), bad).toMatch(/is not a date/)
  })

  it('count both ends, step across months, and overlap when they share a day; back to back does not', () => {
    expect(daysIncluded('2026-12-10', '2026-12-12')).toBe(3)
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(dayProblem('0001-01-01')).toBeUndefined() // a year below 100 is that year, not 19xx
    expect(daysIncluded('0099-12-31', '0100-01-01')).toBe(2)
    expect(overlaps({from: '2026-12-10', to: '2026-12-12'}, {from: '2026-12-12', to: '2026-12-14'})).toBe(true)
    expect(overlaps({from: '2026-12-10', to: '2026-12-12'}, {from: '2026-12-13', to: '2026-12-14'})).toBe(false)
    expect(overlaps({from: '2026-12-01', to: null}, {from: '2027-06-01', to: '2027-06-02'})).toBe(true) // until returned
  })

  it("are the stack's time zone's: the same instant is two days in Seoul and in Los Angeles", () => {
    const instant = new Date('2026-12-06T20:00:00Z')
    expect(dayIn('Asia/Seoul', instant)).toBe('2026-12-07')
    expect(dayIn('America/Los_Angeles', instant)).toBe('2026-12-06')
    expect(timeZoneProblem('Mars/Olympus')).toMatch(/not a time zone/)
  })
})
