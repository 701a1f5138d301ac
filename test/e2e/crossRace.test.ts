import {setTimeout as sleep} from 'node:timers/promises'

import {afterAll, beforeAll, expect, it} from 'vitest'

import type {Market} from '../../src/cli/market.js'
import {invariantProblems, snapshotOf} from './invariants.js'
import {eventually, gatewayOf, startStack, type Stack} from './stack.js'

/**
 * Commands that two services could decide differently, raced against each other through the
 * gateway (docs/guarantees.md#one-owner-per-decision): each pair in both orders and, many times,
 * both at once. After every round the invariants must hold on every store and the view.
 */
const AT_ONCE = 12

let stack: Stack
let client: ReturnType<typeof gatewayOf>
let market: Market
beforeAll(async () => {
  stack = await startStack()
  client = gatewayOf(stack.dataDir, 10_000)
  market = client.market
})
afterAll(async () => {
  client?.close()
  await stack?.stop()
})

interface Rental {
  itemNo: number
  reservationNo: number
}

let n = 0
/** a new item, reserved; `paid` and `lent` take it further */
async function rental({paid = false, lent = false} = {}): Promise<Rental> {
  const {itemNo} = await market.item.register({itemName: `Race ${++n}`, itemPrice: 10 + (n % 50)})
  const {reservationNo} = await market.reservation.reserve({itemNo, customerName: `Renter ${n}`, customerId: `r${n}`})
  if (paid || lent) await market.reservation.pay({reservationNo: reservationNo})
  if (lent) await market.item.lend({itemNo: itemNo})
  return {itemNo, reservationNo}
}

type Command = (r: Rental) => Promise<unknown>
const lend: Command = (r) => market.item.lend({itemNo: r.itemNo})
const giveBack: Command = (r) => market.item.return({itemNo: r.itemNo})
const pay: Command = (r) => market.reservation.pay({reservationNo: r.reservationNo})
const cancelPayment: Command = (r) => market.reservation.cancelPayment({reservationNo: r.reservationNo})
const cancelReservation: Command = (r) => market.reservation.cancel({reservationNo: r.reservationNo})
const forceDelete: Command = (r) => market.item.delete({itemNo: r.itemNo, force: true})

/** A refusal (exit 3 or 4) is a fine outcome of a race; anything else fails the test. */
async function outcome(command: Command, r: Rental): Promise<'done' | 'refused'> {
  try {
    await command(r)
    return 'done'
  } catch (error) {
    const exit = (error as {exit?: number}).exit
    if (exit === 3 || exit === 4) return 'refused'
    throw error
  }
}

const invariantsHold = () =>
  eventually(
    async () => {
      const {problems} = invariantProblems(await snapshotOf(market))
      if (problems.length > 0) throw new Error(`violated: ${problems.join('; ')}`)
    },
    {timeoutMs: 15_000},
  )

const pairs: [string, Command, Command, {paid?: boolean; lent?: boolean}][] = [
  ['lend × cancel payment', lend, cancelPayment, {paid: true}],
  ['lend × cancel reservation', lend, cancelReservation, {paid: true}],
  ['pay × cancel reservation', pay, cancelReservation, {}],
  ['pay × cancel payment', pay, cancelPayment, {}],
  ['return × delete --force', giveBack, forceDelete, {lent: true}],
]

it.each(pairs)('%s: in either order and both at once, every store keeps the invariants', async (name, a, b, setup) => {
  const tally: Record<string, number> = {}
  const count = (key: string) => (tally[key] = (tally[key] ?? 0) + 1)
  // one after the other, both ways: the second must see the first
  for (const [first, second, label] of [[a, b, 'a then b'], [b, a, 'b then a']] as const) {
    const r = await rental(setup)
    count(`${label}: ${await outcome(first, r)}/${await outcome(second, r)}`)
    await invariantsHold()
  }
  // both at once, many rounds; one side starts 0–3 ms late, in turn, so each can come first
  for (let round = 0; round < AT_ONCE; round++) {
    const r = await rental(setup)
    const late = (command: Command, ms: number) => () => sleep(ms).then(() => outcome(command, r))
    const stagger = round % 4
    const [x, y] = await Promise.all(round % 2 ? [late(a, stagger)(), outcome(b, r)] : [outcome(a, r), late(b, stagger)()])
    count(`at once: ${x}/${y}`)
    await invariantsHold()
  }
  console.log(`${name}: ${Object.entries(tally).map(([k, v]) => `${k} ×${v}`).join(', ')}`)
  expect(Object.values(tally).reduce((s, v) => s + v, 0)).toBe(AT_ONCE + 2)
})

it('a refund under way (payment down) blocks lending until payment confirms it, and then lending is refused as unpaid', async () => {
  const r = await rental({paid: true})
  expect((await stack.cli('service', 'stop', 'payment')).code).toBe(0)
  // the refund is recorded as begun before payment is asked; payment is down, so no answer
  expect((await stack.cli('payment', 'cancel', String(r.reservationNo), '--payment-timeout-ms', '300')).code).toBe(5)
  const lendWhilePending = await stack.cli('lend', String(r.itemNo), '--json')
  expect(lendWhilePending.code).toBe(5)
  expect(lendWhilePending.json.error.code).toBe('REFUND_PENDING')
  expect((await stack.cli('service', 'start', 'payment')).code).toBe(0)
  // payment completes the refund from RefundRequested on its own (a saga step), with no one asking again
  await eventually(async () => expect(await market.reservation.show({reservationNo: r.reservationNo})).toMatchObject({paymentStatus: 'NotPaid'}))
  const lendAfter = await stack.cli('lend', String(r.itemNo), '--json')
  expect(lendAfter.json.error.code).toBe('NOT_PAID')
  await invariantsHold()
})

it('a lend while reservation is stopped is refused at once (exit 5 SERVICE_DOWN): reservation decides every lend', async () => {
  const r = await rental({paid: true})
  expect((await stack.cli('service', 'stop', 'reservation')).code).toBe(0)
  try {
    const lent = await stack.cli('lend', String(r.itemNo), '--json')
    expect(lent.code).toBe(5)
    expect(lent.json.error.code).toBe('SERVICE_DOWN')
    expect(await market.item.show({itemNo: r.itemNo})).toMatchObject({rentalStatus: 'NotRenting'})
  } finally {
    expect((await stack.cli('service', 'start', 'reservation')).code).toBe(0)
  }
  expect(await market.item.lend({itemNo: r.itemNo})).toMatchObject({rentalStatus: 'Renting'})
  await invariantsHold()
})

it('kill -9 of the item service mid-lend, then delete --force: a rental that began keeps its item (the restarted service waits for RentalStarted or refuses)', async () => {
  const pidOf = async (name: string) => ((await stack.json(['status'])).processes as {name: string; pid: number}[]).find((p) => p.name === name)!.pid
  let refusedWhileCatchingUp = 0
  for (let round = 0; round < 3; round++) {
    const rentals = await Promise.all(Array.from({length: 8}, () => rental({paid: true})))
    const pid = await pidOf('item')
    const lends = rentals.map((r) => outcome(lend, r).catch(() => 'unanswered'))
    process.kill(pid, 'SIGKILL')
    await Promise.all(lends)
    // every delete either refused (lent, exit 3) or done (never lent); a 503 while item restarts or catches up is asked again
    for (const r of rentals) {
      await eventually(
        async () => {
          try {
            await market.item.delete({itemNo: r.itemNo, force: true})
          } catch (error) {
            const {exit, code} = error as {exit?: number; code?: string}
            if (code === 'CATCHING_UP') refusedWhileCatchingUp++
            if (exit !== 3 && exit !== 4) throw error
          }
        },
        {timeoutMs: 30_000, intervalMs: 100},
      )
    }
    await invariantsHold()
  }
  console.log(`kill -9 mid-lend: 24 lends, 3 kills; deletes refused while item caught up: ${refusedWhileCatchingUp}`)
})
