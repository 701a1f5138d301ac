import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {gatewayOf, startStack, type Stack} from './stack.js'

/**
 * Items near you (issue 19, parts 1 and 2): where an item is, and searches near a place, by words,
 * by price and by free days, through the CLI and through HTTP, on a real stack.
 */
const HALL = '37.5665,126.978' // Seoul City Hall

describe('a nearby market: where items are, and finding them', () => {
  let stack: Stack
  const no: Record<string, number> = {}
  beforeAll(async () => {
    stack = await startStack({config: {home: HALL}})
    const items: [string, number, string?][] = [
      ['Power drill', 8, HALL],
      ['Café table', 20, '37.5796,126.977'], // 1.5 km north
      ['Tent', 40, '37.4563,126.7052'], // Incheon, 26 km
      ['Ladder', 5], // no place
      ['Drill bits', 3, '37.5702,126.9831'], // 600 m
    ]
    for (const [name, price, at] of items) {
      no[name] = (await stack.json(['item', 'register', '--name', name, '--price', String(price), ...(at ? ['--at', at] : [])])).itemNo
    }
  })
  afterAll(async () => {
    await stack?.stop()
  })

  it('registers an item with its place (--at), and one without; a bad place is one line, exit 2, nothing registered', async () => {
    expect(await stack.json(['item', 'show', String(no['Power drill'])])).toMatchObject({latitude: 37.5665, longitude: 126.978})
    expect(await stack.json(['item', 'show', String(no['Ladder'])])).toMatchObject({latitude: null, longitude: null})
    const bad = await stack.cli('item', 'register', '--name', 'Kite', '--price', '4', '--at', '91,0')
    expect(bad.code).toBe(2)
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)
    expect(bad.stderr).toContain('latitude must be decimal degrees from -90 to 90')
    expect((await stack.json(['item', 'list'])).map((i: {itemName: string}) => i.itemName)).not.toContain('Kite')
  })

  it('finds items near a place, nearest first with how far, within the radius (5 km by default)', async () => {
    const rows = await stack.json(['view', '--near', HALL, '--within', '2km'])
    expect(rows.map((r: {itemNo: number}) => r.itemNo)).toEqual([no['Power drill'], no['Drill bits'], no['Café table']])
    expect(rows.map((r: {distanceM: number}) => r.distanceM)).toEqual([0, expect.any(Number), expect.any(Number)])
    expect(rows[1].distanceM).toBeGreaterThan(500)
    expect(rows[2].distanceM).toBeGreaterThan(1400)
    expect((await stack.json(['view', '--near', HALL])).length).toBe(3) // not Incheon, not the ladder
    const table = await stack.cli('view', '--near', HALL, '--within', '2km', '--wide')
    expect(table.stdout).toMatch(/away/)
    expect(table.stdout).toMatch(/0 m/)
  })

  it('near home is the setting home; words, price and free days combine with it', async () => {
    expect((await stack.json(['view', '--near', 'home', '--within', '700m'])).map((r: {itemNo: number}) => r.itemNo)).toEqual([no['Power drill'], no['Drill bits']])
    expect((await stack.json(['view', '--search', 'DRILL'])).map((r: {itemNo: number}) => r.itemNo)).toEqual([no['Power drill'], no['Drill bits']])
    expect((await stack.json(['view', '--search', 'cafe'])).map((r: {itemName: string}) => r.itemName)).toEqual(['Café table'])
    expect((await stack.json(['view', '--near', 'home', '--search', 'drill', '--max-price', '5'])).map((r: {itemNo: number}) => r.itemNo)).toEqual([no['Drill bits']])
    await stack.json(['reserve', String(no['Tent']), '--customer', 'Kim'])
    const free = await stack.json(['view', '--free-from', '2099-01-01', '--free-to', '2099-01-02'])
    expect(free.map((r: {itemNo: number}) => r.itemNo)).not.toContain(no['Tent']) // reserved without dates: until returned
    expect(free.length).toBe(4)
    const none = await stack.cli('view', '--search', 'submarine')
    expect(none.code).toBe(0)
    expect(none.stderr).toContain('nothing found')
  })

  it('takes the same filters as query parameters on GET /itemInfoes, and refuses bad ones (400)', async () => {
    const {gateway, close} = gatewayOf(stack.dataDir)
    try {
      const found = await gateway.call<{_embedded: {itemInfoes: {itemNo: number; distanceM: number}[]}}>('GET', `/itemInfoes?near=${HALL}&within=2km&q=drill&maxPrice=10`)
      expect(found._embedded.itemInfoes.map((r) => r.itemNo)).toEqual([no['Power drill'], no['Drill bits']])
      await expect(gateway.call('GET', '/itemInfoes?within=2km')).rejects.toMatchObject({code: 'BAD_INPUT', message: expect.stringContaining('within is the radius around near')})
      await expect(gateway.call('GET', '/itemInfoes?near=somewhere')).rejects.toMatchObject({exit: 2, message: expect.stringContaining('"somewhere" is not LAT,LON')})
      await expect(gateway.call('GET', '/itemInfoes?freeFrom=2026-02-30&freeTo=2026-03-01')).rejects.toMatchObject({exit: 2, message: expect.stringContaining('is not a date')})
    } finally {
      close()
    }
  })
})

describe('near home without the setting', () => {
  it('says to set home, with the command line that does it (exit 2)', async () => {
    const stack = await startStack()
    try {
      const result = await stack.cli('view', '--near', 'home')
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/near home needs the setting home.*`gdmarket config set home LAT,LON --data-dir /)
    } finally {
      await stack.stop()
    }
  })
})
