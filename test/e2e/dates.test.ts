import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {addDays, dayIn} from '../../src/calendar.js'
import {gatewayOf, startStack, type Stack} from './stack.js'

/**
 * Rentals for dates (issue 19, part 3), on a real stack: bookings of one item never overlap, also
 * when renters race for them; the price is per day; statuses are today's; lending waits for the
 * first day; an item out past its last day is overdue, and its late return is recorded.
 * The stack's time zone is a setting: UTC−12 first, then UTC+14, whose day is always at least one
 * later, so "tomorrow" comes without waiting for midnight.
 */
const WEST = 'Etc/GMT+12' // UTC−12
const EAST = 'Pacific/Kiritimati' // UTC+14

describe('rentals for dates', () => {
  let stack: Stack
  let today: string
  const day = (n: number) => addDays(today, n)
  beforeAll(async () => {
    stack = await startStack({config: {timeZone: WEST}})
    today = dayIn(WEST)
  })
  afterAll(async () => {
    await stack?.stop()
  })
  const register = async (name: string, price: number) => (await stack.json(['item', 'register', '--name', name, '--price', String(price)])).itemNo as number
  const book = (itemNo: number, customer: string, from: string, to: string) => stack.cli('reserve', String(itemNo), '--customer', customer, '--from', from, '--to', to, '--json')

  it('books days ahead: today the item stays Rentable and lists the booking; an overlap is refused naming its days; back to back is fine', async () => {
    const itemNo = await register('Drill', 8)
    const first = await book(itemNo, 'Kim', day(3), day(5))
    expect(first.code, first.stderr).toBe(0)
    expect(first.json).toMatchObject({rentFrom: day(3), rentTo: day(5), amount: 24})
    expect(await stack.json(['item', 'show', String(itemNo)])).toMatchObject({itemStatus: 'Rentable', reservationNo: null, bookings: [{reservationNo: first.json.reservationNo, from: day(3), to: day(5)}]})
    const clash = await book(itemNo, 'Lee', day(5), day(6))
    expect(clash.code).toBe(3)
    expect(clash.stderr).toContain(`is booked ${day(3)} to ${day(5)} (reservation ${first.json.reservationNo})`)
    expect((await book(itemNo, 'Lee', day(6), day(7))).code).toBe(0)
    const calendar = await stack.json(['item', 'calendar', String(itemNo)])
    expect(calendar.bookings.map((b: {from: string}) => b.from)).toEqual([day(3), day(6)])
    // without dates it would run until returned, into the bookings: refused
    const undated = await stack.cli('reserve', String(itemNo), '--customer', 'Ann')
    expect(undated.code).toBe(3)
    expect(undated.stderr).toContain(`booked ${day(3)} to ${day(5)}`)
  })

  it('pays the price per day, and refuses to hand over before the first day (exit 3 TOO_EARLY)', async () => {
    const itemNo = await register('Tent', 40)
    const r = (await book(itemNo, 'Kim', day(1), day(2))).json
    expect(await stack.json(['pay', String(r.reservationNo)])).toMatchObject({amount: 80})
    const early = await stack.cli('lend', String(itemNo))
    expect(early.code).toBe(3)
    expect(early.stderr).toContain(`starts on ${day(1)}`)
  })

  it('lets renters race for overlapping days: exactly one booking wins, the others are refused (409) naming the clash', async () => {
    const itemNo = await register('Kayak', 30)
    const {gateway, close} = gatewayOf(stack.dataDir)
    try {
      for (let round = 0; round < 4; round++) {
        const from = day(10 + round * 5)
        const outcomes = await Promise.allSettled(
          ['Ann', 'Bo', 'Cy', 'Di', 'Ed'].map((name, i) =>
            gateway.call('POST', '/reservations', {itemNo, customerName: name, rentFrom: addDays(from, i % 2), rentTo: addDays(from, 2)}),
          ),
        )
        expect(outcomes.filter((o) => o.status === 'fulfilled'), `round ${round}`).toHaveLength(1)
        for (const o of outcomes) if (o.status === 'rejected') expect(o.reason).toMatchObject({code: 'NOT_RENTABLE', exit: 3, message: expect.stringMatching(/is booked \d{4}-\d\d-\d\d to/)})
      }
      const {bookings} = await gateway.call<{bookings: {from: string; to: string}[]}>('GET', `/items/${itemNo}/calendar`)
      expect(bookings).toHaveLength(4)
      for (let i = 1; i < bookings.length; i++) expect(bookings[i].from > bookings[i - 1].to).toBe(true) // none overlap
    } finally {
      close()
    }
  })

  it('refuses to delete an item with bookings unless forced; forced, every booking is cancelled and a paid one refunded', async () => {
    const itemNo = await register('Ladder', 5)
    const a = (await book(itemNo, 'Kim', day(2), day(2))).json
    const b = (await book(itemNo, 'Lee', day(4), day(5))).json
    await stack.json(['pay', String(b.reservationNo)])
    const refused = await stack.cli('item', 'delete', String(itemNo))
    expect(refused.code).toBe(3)
    expect(refused.stderr).toContain(`reservations ${a.reservationNo}, ${b.reservationNo}`)
    await stack.json(['item', 'delete', String(itemNo), '--force'])
    const {gateway, close} = gatewayOf(stack.dataDir)
    try {
      for (const r of [a, b]) expect(await gateway.call('GET', `/reservations/${r.reservationNo}`)).toMatchObject({reservationStatus: 'Cancelled', paymentStatus: 'NotPaid'})
      const payments = await stack.json(['payment', 'list'])
      expect(payments.filter((p: {reservationNo: number}) => p.reservationNo === b.reservationNo)).toMatchObject([{paymentStatus: 'Cancelled'}])
    } finally {
      close()
    }
  })

  it('a rental out past its last day is overdue, and its return is recorded as late; statuses follow the day with no command', async () => {
    const itemNo = await register('Saw', 6)
    const r = (await book(itemNo, 'Kim', today, today)).json
    await stack.json(['pay', String(r.reservationNo)])
    expect(await stack.json(['lend', String(itemNo)])).toMatchObject({rentalStatus: 'Renting'})
    expect(await stack.json(['reservation', 'list', '--overdue'])).toEqual([])
    // the next day comes: the stack's days now those of UTC+14, always later than UTC−12's
    await stack.json(['config', 'set', 'timeZone', EAST])
    for (const service of ['item', 'reservation', 'view']) await stack.json(['service', 'restart', service])
    const overdue = await stack.json(['reservation', 'list', '--overdue'])
    expect(overdue.map((o: {reservationNo: number}) => o.reservationNo)).toEqual([r.reservationNo])
    expect(await stack.json(['view'])).toEqual(expect.arrayContaining([expect.objectContaining({itemNo, itemStatus: 'NotRentable', rentalStatus: 'Renting'})]))
    await stack.json(['return', String(itemNo)])
    expect(await stack.json(['reservation', 'show', String(r.reservationNo)])).toMatchObject({reservationStatus: 'Completed', returnedLate: true})
    expect(await stack.json(['reservation', 'list', '--overdue'])).toEqual([])
  })
})
