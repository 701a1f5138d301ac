import {describe, expect, it} from 'vitest'

import {runWizard} from '../../../src/wizard/flow.js'
import {FakeMarket} from './fakeMarket.js'
import {accept, answer, choose, ctrlC, filter, inTurn, meanwhile, no, refused, scriptedTerminal, see, yes, type Step} from './scriptedTerminal.js'

/** A market with these items registered, and nothing else. */
async function marketWith(...items: [string, number][]): Promise<FakeMarket> {
  const market = new FakeMarket()
  for (const [itemName, itemPrice] of items) await market.register({itemName, itemPrice})
  market.log.length = 0
  return market
}

/** Runs the whole wizard on `script`; every step must be used. */
async function wizard(market: FakeMarket, script: Step[]) {
  const terminal = scriptedTerminal(script)
  const code = await runWizard(terminal, market)
  expect(terminal.unused(), 'steps left unused').toBe(0)
  return {code, transcript: terminal.transcript, said: (text: string) => terminal.transcript.some((line) => line.includes(text))}
}

const renter = choose('A renter')
const owner = choose('An owner')
const quit = choose('Quit')
/** the first day left empty: a rental without dates, from today until returned */
const undated = see('First day (YYYY-MM-DD; empty: from today until returned)?', accept)

describe('renter', () => {
  it('picks a rentable item, says who they are, confirms and pays at once: the reserve and pay requests of `reserve` and `pay`', async () => {
    const market = await marketWith(['Camera', 100], ['Tent', 40])
    const {code, said, transcript} = await wizard(market, [
      renter,
      choose('Rent an item'),
      undated,
      see(['Camera — 100 (item 1)', 'Tent — 40 (item 2)'], choose('Tent')),
      answer('Young'),
      answer('young01'),
      see('Reserve Tent (item 2, 40) for Young (young01)?', yes),
      see('Pay 40 now?', yes),
      quit,
    ])
    expect(code).toBe(0)
    expect(market.changes()).toEqual([['reserve', {itemNo: 2, customerName: 'Young', customerId: 'young01'}], ['pay', 1]])
    expect(said('→ Reserved Tent for Young: reservation 1, 40 to pay.')).toBe(true)
    expect(said('→ Paid 40: payment 1.')).toBe(true)
    expect(said('`gdmarket reservation cancel 1`')).toBe(true)
    expect(transcript.at(-1)).toBe('Bye.')
  })

  it('lists only rentable items, and types to filter when the list is long (search)', async () => {
    const market = await marketWith(...Array.from({length: 9}, (_, i): [string, number] => [`Bike ${i + 1}`, 10 + i]), ['Lamp', 5])
    await market.reserve({itemNo: 3, customerName: 'Kim', customerId: 'kim'})
    const {said} = await wizard(market, [
      renter,
      choose('Rent an item'),
      undated,
      async (question) => {
        expect(question.config.source, 'a search prompt').toBeDefined()
        await see('Bike 1 —', () => {})(question)
        expect(question.getScreen()).not.toContain('Bike 3 —') // reserved by Kim
        await filter('lamp', 'Lamp — 5 (item 10)')(question)
      },
      answer('Young'),
      accept, // the customer id defaults to the name
      see('for Young?', no),
      quit,
    ])
    expect(said('Nothing reserved.')).toBe(true)
    expect(market.changes()).toEqual([['reserve', {itemNo: 3, customerName: 'Kim', customerId: 'kim'}]])
  })

  it('declines to pay now: the reservation stays and the wizard says how to pay and cancel later', async () => {
    const market = await marketWith(['Camera', 100])
    const {said} = await wizard(market, [renter, choose('Rent an item'), undated, choose('Camera'), answer('Young'), accept, yes, see('Pay 100 now?', no), quit])
    expect(market.changes()).toEqual([['reserve', {itemNo: 1, customerName: 'Young', customerId: 'Young'}]])
    expect(said('Not paid yet: pay later under Renter → My reservations, or with `gdmarket pay 1`.')).toBe(true)
    expect(said('`gdmarket reservation cancel 1`')).toBe(true)
  })

  it('a second rental in the same session offers the name and customer id given before', async () => {
    const market = await marketWith(['Camera', 100], ['Tent', 40])
    await wizard(market, [
      renter,
      choose('Rent an item'),
      undated,
      choose('Camera'),
      answer('Young'),
      answer('young01'),
      yes,
      no,
      choose('Rent an item'),
      undated,
      choose('Tent'),
      see('Your name? (Young)', accept),
      see('Your customer id? (young01)', accept),
      see('Reserve Tent (item 2, 40) for Young (young01)?', yes),
      no,
      quit,
    ])
    expect(market.changes()).toEqual([
      ['reserve', {itemNo: 1, customerName: 'Young', customerId: 'young01'}],
      ['reserve', {itemNo: 2, customerName: 'Young', customerId: 'young01'}],
    ])
  })

  it('my reservations: Pay asks first, as every change does; no pays nothing', async () => {
    const market = await marketWith(['Camera', 100])
    await market.reserve({itemNo: 1, customerName: 'Young', customerId: 'young01'})
    market.log.length = 0
    const {said} = await wizard(market, [
      renter,
      choose('My reservations'),
      answer('young01'),
      choose('reservation 1'),
      choose('Pay 100'),
      see('Pay 100 for reservation 1 (Camera)?', no),
      choose('My reservations'),
      accept,
      choose('reservation 1'),
      choose('Pay 100'),
      see('Pay 100 for reservation 1 (Camera)?', yes),
      quit,
    ])
    expect(said('Nothing changed.')).toBe(true)
    expect(market.changes()).toEqual([['pay', 1]])
    expect(said('→ Paid 100: payment 1.')).toBe(true)
  })

  it("my reservations: cancels the payment, then the reservation, remembering the customer id", async () => {
    const market = await marketWith(['Camera', 100], ['Tent', 40])
    await market.reserve({itemNo: 1, customerName: 'Young', customerId: 'young01'})
    await market.pay(1)
    await market.reserve({itemNo: 2, customerName: 'Kim', customerId: 'kim'})
    market.log.length = 0
    const {said} = await wizard(market, [
      renter,
      choose('My reservations'),
      answer('young01'),
      async (question) => {
        await see('reservation 1: Camera — 100, paid', () => {})(question)
        expect(question.getScreen()).not.toContain('Tent') // Kim's
        choose('reservation 1')(question)
      },
      choose('Cancel the payment (refund 100, keep the reservation)'),
      see('Cancel the payment for reservation 1 (Camera)?', yes),
      choose('My reservations'),
      see('(young01)', accept),
      see('reservation 1: Camera — 100, not paid', choose('reservation 1')),
      choose('Cancel the reservation'),
      yes,
      quit,
    ])
    expect(market.changes()).toEqual([['cancelPayment', 1], ['cancelReservation', 1]])
    expect(said('→ Payment 1 is cancelled, 100 refunded; reservation 1 stays reserved, not paid.')).toBe(true)
    expect(said('→ Reservation 1 is cancelled; Camera is rentable again.')).toBe(true)
  })
})

describe('owner', () => {
  it('registers an item, hands a paid one over and takes it back, each picked from the items in the right state', async () => {
    const market = await marketWith(['Tent', 40], ['Kayak', 70])
    await market.reserve({itemNo: 1, customerName: 'Young', customerId: 'young01'})
    await market.pay(1)
    await market.reserve({itemNo: 2, customerName: 'Kim', customerId: 'kim'}) // not paid: cannot be lent
    market.log.length = 0
    const {said} = await wizard(market, [
      owner,
      choose('Register an item'),
      answer('Camera'),
      answer('100'),
      see('Register Camera at 100?', yes),
      choose('Hand an item over'),
      async (question) => {
        await see(['Tent — 40 (item 1) for Young (young01)', 'Kayak — 70 (item 2) for Kim', 'not paid yet'], () => {})(question)
        expect(question.getScreen()).not.toContain('Camera') // not reserved
        choose('Tent')(question)
      },
      see('Hand Tent over to Young (young01)?', yes),
      choose('Take an item back'),
      see('Tent — 40 (item 1) from Young (young01)', choose('Tent')),
      yes,
      quit,
    ])
    expect(market.changes()).toEqual([['register', {itemName: 'Camera', itemPrice: 100}], ['lend', 1], ['takeBack', 1]])
    expect(said('→ Registered Camera as item 3; it is rentable now.')).toBe(true)
    expect(said('→ Tent is lent to Young (young01).')).toBe(true)
    expect(said('→ Tent is back: the rental is completed and it is rentable again.')).toBe(true)
    expect((await market.viewRows()).find((row) => row.itemNo === 1)).toMatchObject({itemStatus: 'Rentable', rentalStatus: 'Returned'})
  })

  it('refuses a price that is not a whole number above 0 in its own words, and asks again', async () => {
    const market = await marketWith()
    const rule = 'the price is a whole number above 0'
    const {transcript} = await wizard(market, [
      owner,
      choose('Register an item'),
      answer('Camera'),
      async (question) => {
        await inTurn(
          refused('', 'Type the price: a whole number above 0, e.g. 12.'),
          refused('0', `0 is too small: ${rule}, e.g. 12.`),
          refused('-5', `-5 is too small: ${rule}, e.g. 12.`),
          refused('12.5', `12.5 is not whole: ${rule}, e.g. 12.`),
          refused('ten', `"ten" is not a number: ${rule} in digits, e.g. 12.`),
          refused('1e3', `"1e3" is not a number: ${rule} in digits, e.g. 12.`),
          refused('90071992547409920', '90071992547409920 is too large: the price is at most 999999999999999.'),
        )(question)
        answer(' 12 ')(question)
      },
      see('Register Camera at 12?', yes),
      quit,
    ])
    expect(market.changes()).toEqual([['register', {itemName: 'Camera', itemPrice: 12}]])
    // inquirer's own words for its number prompt never show
    expect(transcript.join('\n')).not.toMatch(/Value must be|multiple of|valid numeric value/)
  })

  it('deletes a reserved item only after saying whose reservation it cancels (force), and never a lent one', async () => {
    const market = await marketWith(['Tent', 40], ['Kayak', 70])
    await market.reserve({itemNo: 1, customerName: 'Young', customerId: 'young01'})
    await market.pay(1)
    await market.lend(1)
    await market.reserve({itemNo: 2, customerName: 'Kim', customerId: 'kim'})
    market.log.length = 0
    const {said} = await wizard(market, [
      owner,
      choose('Delete an item'),
      see(['lent out: take it back first'], choose('Kayak')),
      see('Kayak is reserved by Kim (kim): delete it, cancelling reservation 2?', yes),
      quit,
    ])
    expect(market.changes()).toEqual([['deleteItem', 2, true]])
    expect(said('→ Deleted Kayak; reservation 2 is being cancelled.')).toBe(true)
  })

  it('says so when there is nothing to hand over or take back', async () => {
    const market = await marketWith(['Tent', 40])
    await market.reserve({itemNo: 1, customerName: 'Kim', customerId: 'kim'})
    const {said} = await wizard(market, [owner, choose('Hand an item over'), choose('Take an item back'), quit])
    expect(said('Nothing to hand over: no reserved item is paid yet (1 waiting for payment).')).toBe(true)
    expect(said('Nothing to take back: no item is lent out.')).toBe(true)
  })
})

describe('near home', () => {
  it('with the setting home, the renter is asked whether to look only near it, and sees how far each item is, nearest first', async () => {
    const market = await marketWith(['Camera', 100], ['Tent', 40], ['Drill', 8])
    market.home = new Map([
      [3, 250],
      [2, 1800],
    ])
    const {said} = await wizard(market, [
      renter,
      choose('Rent an item'),
      see('Only items near home (within 5 km), nearest first?', yes),
      undated,
      see(['Drill — 8 (item 3) · 250 m away', 'Tent — 40 (item 2) · 1.8 km away'], choose('Drill')),
      answer('Young'),
      accept,
      yes,
      no,
      quit,
    ])
    expect(market.changes()).toEqual([['reserve', {itemNo: 3, customerName: 'Young', customerId: 'Young'}]])
    expect(said('→ Reserved Drill for Young: reservation 1, 8 to pay.')).toBe(true)
  })
})

describe('dates: a rental for days', () => {
  /** the first and last day of a rental, at their two questions */
  const days = (from: string, to: string): Step[] => [see('First day (YYYY-MM-DD', answer(from)), see('Last day, included (YYYY-MM-DD)?', answer(to))]

  it('given the days, offers only the items free then, with their other bookings, and reserves them for price × days as the reservation answers', async () => {
    // given: the Tent is booked on the days asked, the Camera two weeks later
    const market = await marketWith(['Camera', 100], ['Tent', 40])
    await market.reserve({itemNo: 2, customerName: 'Kim', customerId: 'kim', rentFrom: '2026-12-11', rentTo: '2026-12-11'})
    await market.reserve({itemNo: 1, customerName: 'Lee', customerId: 'lee', rentFrom: '2026-12-20', rentTo: '2026-12-22'})
    market.log.length = 0
    // when: the renter asks for 10 to 12 December and takes the Camera
    const {said} = await wizard(market, [
      renter,
      choose('Rent an item'),
      ...days('2026-12-10', '2026-12-12'),
      async (question) => {
        await see(['Which item would you like to rent, free 2026-12-10–12?', 'Camera — 100 (item 1) · booked 2026-12-20–22'], () => {})(question)
        expect(question.getScreen()).not.toContain('Tent')
        choose('Camera')(question)
      },
      answer('Young'),
      answer('young01'),
      see('Reserve Camera (item 1) 2026-12-10–12, 3 days × 100, for Young (young01)?', yes),
      see('Pay 300 now?', no),
      choose('My reservations'),
      accept,
      see('reservation 3: Camera 2026-12-10–12 — 300, not paid', choose('reservation 3')),
      see('Reservation 3 (Camera 2026-12-10–12): what now?', choose('← Back')),
      quit,
    ])
    // then: the view was asked for the free items of those days, the reservation for them, and its amount is what the wizard shows
    expect(market.log).toContainEqual(['view', {freeFrom: '2026-12-10', freeTo: '2026-12-12'}])
    expect(market.changes()).toEqual([['reserve', {itemNo: 1, customerName: 'Young', customerId: 'young01', rentFrom: '2026-12-10', rentTo: '2026-12-12'}]])
    expect(said('→ Reserved Camera 2026-12-10–12 for Young: reservation 3, 300 to pay.')).toBe(true)
  })

  it('given no first day, rents without dates: from today until returned, at the price once', async () => {
    // given: the Camera is booked later this month, which an undated rental would run into
    const market = await marketWith(['Camera', 100], ['Tent', 40])
    await market.reserve({itemNo: 1, customerName: 'Lee', customerId: 'lee', rentFrom: '2026-12-20', rentTo: '2026-12-22'})
    market.log.length = 0
    // when: the renter leaves the first day empty
    const {said, transcript} = await wizard(market, [
      renter,
      choose('Rent an item'),
      undated,
      see(['Which item would you like to rent?', 'Camera — 100 (item 1) · booked 2026-12-20–22', 'Tent — 40 (item 2)'], choose('Tent')),
      answer('Young'),
      accept,
      see('Reserve Tent (item 2, 40) for Young?', yes),
      see('Pay 40 now?', no),
      quit,
    ])
    // then: no last day is asked, the view is not filtered by days, and the reservation has none
    expect(transcript.some((line) => line.includes('Last day'))).toBe(false)
    expect(market.log).toContainEqual(['view'])
    expect(market.changes()).toEqual([['reserve', {itemNo: 2, customerName: 'Young', customerId: 'Young'}]])
    expect(said('→ Reserved Tent for Young: reservation 2, 40 to pay.')).toBe(true)
  })

  it('refuses a day that is not a date, a last day before the first and a period over a year, at the question in the CLI\'s words, and asks again', async () => {
    // given
    const market = await marketWith(['Camera', 100])
    // when: the renter types a month 13, then a last day before the first, then one 388 days on
    await wizard(market, [
      renter,
      choose('Rent an item'),
      async (question) => {
        await see('First day (YYYY-MM-DD', inTurn(refused('2026-13-01', '"2026-13-01" is not a date written YYYY-MM-DD (e.g. 2026-12-10).'), refused('10.12.2026', '"10.12.2026" is not a date written YYYY-MM-DD')))(question)
        answer('2026-12-10')(question)
      },
      async (question) => {
        await see(
          'Last day, included (YYYY-MM-DD)? (2026-12-10)',
          inTurn(refused('2026-12-09', 'the last day (2026-12-09) is before the first day (2026-12-10).'), refused('2028-01-01', '2026-12-10 to 2028-01-01 is 388 days; a booking is at most 366 days.')),
        )(question)
        accept(question) // the default: the first day, a rental of one day
      },
      see('Camera — 100 (item 1)', choose('Camera')),
      answer('Young'),
      accept,
      see('Reserve Camera (item 1) 2026-12-10, 1 day × 100, for Young?', yes),
      see('Pay 100 now?', no),
      quit,
    ])
    // then: nothing was sent before the days were right
    expect(market.changes()).toEqual([['reserve', {itemNo: 1, customerName: 'Young', customerId: 'Young', rentFrom: '2026-12-10', rentTo: '2026-12-10'}]])
  })

  it('given someone else books the days first, the refusal names them with its next step; the renter picks other dates and is not asked who again', async () => {
    // given
    const market = await marketWith(['Camera', 100], ['Tent', 40])
    // when: Kim books the Camera for the 11th to 13th while the renter confirms the 10th to 12th, then the renter takes the 14th to 15th
    const {said, transcript} = await wizard(market, [
      renter,
      choose('Rent an item'),
      ...days('2026-12-10', '2026-12-12'),
      choose('Camera'),
      answer('Young'),
      answer('young01'),
      meanwhile(() => market.reserve({itemNo: 1, customerName: 'Kim', customerId: 'kim', rentFrom: '2026-12-11', rentTo: '2026-12-13'}), yes),
      see(['Camera is not reserved for 2026-12-10–12. What now?', 'Another item free 2026-12-10–12'], choose('Other dates')),
      ...days('2026-12-14', '2026-12-15'),
      see('Which item would you like to rent instead, free 2026-12-14–15?', choose('Camera')),
      see('Reserve Camera (item 1) 2026-12-14–15, 2 days × 100, for Young (young01)?', yes),
      see('Pay 200 now?', yes),
      quit,
    ])
    // then: the service's refusal and its next hint were shown, and the second booking went through
    expect(transcript).toContain('✖ Refused: item 1 is booked 2026-12-11–13 (reservation 1); pick other days, or another item from the view')
    expect(transcript).toContain('  Next: pick a Rentable item under Renter → Rent an item.')
    expect(market.changes()).toEqual([
      ['reserve', {itemNo: 1, customerName: 'Kim', customerId: 'kim', rentFrom: '2026-12-11', rentTo: '2026-12-13'}],
      ['reserve', {itemNo: 1, customerName: 'Young', customerId: 'young01', rentFrom: '2026-12-10', rentTo: '2026-12-12'}],
      ['reserve', {itemNo: 1, customerName: 'Young', customerId: 'young01', rentFrom: '2026-12-14', rentTo: '2026-12-15'}],
      ['pay', 2],
    ])
    expect(transcript.filter((line) => line.startsWith('✔ Your name?'))).toHaveLength(1)
    expect(said('→ Paid 200: payment 1.')).toBe(true)
  })

  it('given nothing free on the days, says so and offers other dates; a day in the past is the service\'s refusal, and other dates are asked', async () => {
    // given: the only item is booked on the days asked first
    const market = await marketWith(['Camera', 100])
    await market.reserve({itemNo: 1, customerName: 'Kim', customerId: 'kim', rentFrom: '2026-12-10', rentTo: '2026-12-12'})
    // when: the renter asks for those days, then days before today, then days that are free
    const {transcript} = await wizard(market, [
      renter,
      choose('Rent an item'),
      ...days('2026-12-11', '2026-12-11'),
      see('No item is free 2026-12-11. What now?', choose('Other dates')),
      ...days('2026-12-01', '2026-12-02'),
      choose('Camera'),
      answer('Young'),
      accept,
      yes,
      see('What now?', choose('Other dates')),
      ...days('2026-12-13', '2026-12-13'),
      choose('Camera'),
      see('1 day × 100', yes),
      see('Pay 100 now?', no),
      quit,
    ])
    // then
    expect(transcript).toContain('✖ Not accepted: rentFrom 2026-12-01 is in the past (today is 2026-12-06); book from today on')
    expect(market.changes().at(-1)).toEqual(['reserve', {itemNo: 1, customerName: 'Young', customerId: 'Young', rentFrom: '2026-12-13', rentTo: '2026-12-13'}])
  })
})

describe('refusals are shown in the wizard, and the person goes on', () => {
  it('someone else reserves the picked item meanwhile: "already reserved", the list again, and another item is rented without asking who again', async () => {
    const market = await marketWith(['Camera', 100], ['Tent', 40])
    const {code, said, transcript} = await wizard(market, [
      renter,
      choose('Rent an item'),
      undated,
      choose('Camera'),
      answer('Young'),
      accept,
      meanwhile(() => market.reserve({itemNo: 1, customerName: 'Kim', customerId: 'kim'}), yes),
      // straight back to the list, without the menu
      async (question) => {
        await see(['Which item would you like to rent instead?', 'Tent — 40'], () => {})(question)
        expect(question.getScreen()).not.toContain('Camera')
        choose('Tent')(question)
      },
      see('Reserve Tent (item 2, 40) for Young?', yes), // not asked for the name and id again
      yes,
      quit,
    ])
    expect(code).toBe(0)
    const refusal = transcript.findIndex((line) => line.startsWith('✖ Refused: item 1 is already reserved (reservation 1)'))
    expect(refusal).toBeGreaterThan(-1)
    expect(said('→ Reserved Tent for Young: reservation 2, 40 to pay.')).toBe(true)
    expect(market.changes()).toEqual([
      ['reserve', {itemNo: 1, customerName: 'Kim', customerId: 'kim'}], // the other renter, meanwhile
      ['reserve', {itemNo: 1, customerName: 'Young', customerId: 'Young'}], // refused
      ['reserve', {itemNo: 2, customerName: 'Young', customerId: 'Young'}],
      ['pay', 2],
    ])
    expect((await market.reservations()).map((r) => [r.itemNo, r.customerName, r.paymentStatus])).toEqual([
      [1, 'Kim', 'NotPaid'],
      [2, 'Young', 'Paid'],
    ])
  })

  it('a refusal is the reason, and its next step in the wizard\'s own terms: no command line to type', async () => {
    const market = await marketWith(['Camera', 100], ['Tent', 40])
    const {transcript} = await wizard(market, [
      renter,
      choose('Rent an item'),
      undated,
      choose('Camera'),
      answer('Young'),
      accept,
      meanwhile(() => market.reserve({itemNo: 1, customerName: 'Kim', customerId: 'kim'}), yes),
      see('Which item would you like to rent instead?', choose('← Back')),
      quit,
    ])
    expect(transcript).toContain('✖ Refused: item 1 is already reserved (reservation 1); pick a Rentable one from the view')
    expect(transcript).toContain('  Next: pick a Rentable item under Renter → Rent an item.')
    expect(transcript.join('\n')).not.toContain('`gdmarket')
  })

  it('a declined payment: the refusal is shown, then the next step as a choice (no "try again": a rule refused it)', async () => {
    const market = await marketWith(['Piano', 900])
    market.paymentLimit = 500
    const {said} = await wizard(market, [
      renter,
      choose('Rent an item'),
      undated,
      choose('Piano'),
      answer('Young'),
      accept,
      yes,
      yes,
      async (question) => {
        await see('Reservation 1 (Piano) is not paid. What now?', () => {})(question)
        expect(question.getScreen()).not.toContain('Try again')
        choose('← Back to the menu')(question)
      },
      quit,
    ])
    expect(said('✖ Refused: payment declined: 900 is above the limit of 500')).toBe(true)
    expect(said('Reservation 1 stays reserved, not paid; pay later under Renter → My reservations.')).toBe(true)
    expect(await market.showReservation(1)).toMatchObject({reservationStatus: 'Reserved', paymentStatus: 'NotPaid'})
  })

  it('a declined payment: cancelling the reservation is one of the next steps, and it asks first', async () => {
    const market = await marketWith(['Piano', 900])
    market.paymentLimit = 500
    await wizard(market, [
      renter,
      choose('Rent an item'),
      undated,
      choose('Piano'),
      answer('Young'),
      accept,
      yes,
      yes,
      choose('Cancel the reservation'),
      see('Cancel reservation 1 (Piano)?', yes),
      quit,
    ])
    expect(market.changes()).toEqual([['reserve', {itemNo: 1, customerName: 'Young', customerId: 'Young'}], ['pay', 1], ['cancelReservation', 1]])
  })

  it('payment down: "Unavailable" without the operator\'s command, then Try again pays once it is back', async () => {
    const market = await marketWith(['Camera', 100])
    market.paymentDown = true
    const {transcript, said} = await wizard(market, [
      renter,
      choose('Rent an item'),
      undated,
      choose('Camera'),
      answer('Young'),
      accept,
      yes,
      yes,
      meanwhile(async () => void (market.paymentDown = false), see('Reservation 1 (Camera) is not paid. What now?', choose('Try again'))),
      quit,
    ])
    expect(transcript).toContain('✖ Unavailable: the payment service is stopped; start it')
    expect(said('→ Paid 100: payment 1.')).toBe(true)
    expect(market.changes()).toEqual([['reserve', {itemNo: 1, customerName: 'Young', customerId: 'Young'}], ['pay', 1], ['pay', 1]])
  })
})

describe('Ctrl-C', () => {
  it('at the first question: exit 130, nothing sent', async () => {
    const market = await marketWith(['Camera', 100])
    const {code} = await wizard(market, [ctrlC])
    expect(code).toBe(130)
    expect(market.log).toEqual([])
  })

  it('in the middle of renting: exit 130, and the reservation being prepared is not sent', async () => {
    const market = await marketWith(['Camera', 100])
    const {code, transcript} = await wizard(market, [renter, choose('Rent an item'), undated, choose('Camera'), answer('Young'), ctrlC])
    expect(code).toBe(130)
    expect(market.changes()).toEqual([])
    expect(transcript.at(-1)).not.toBe('Bye.')
  })

  it('at "pay now?": exit 130; the confirmed reservation stands, no payment is sent', async () => {
    const market = await marketWith(['Camera', 100])
    const {code} = await wizard(market, [renter, choose('Rent an item'), undated, choose('Camera'), answer('Young'), accept, yes, see('Pay 100 now?', ctrlC)])
    expect(code).toBe(130)
    expect(market.changes()).toEqual([['reserve', {itemNo: 1, customerName: 'Young', customerId: 'Young'}]])
  })
})
