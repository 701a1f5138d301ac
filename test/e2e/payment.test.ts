import {afterEach, describe, expect, it} from 'vitest'

import {eventually, startStack, type Stack} from './stack.js'

let stack: Stack | undefined
afterEach(async () => {
  await stack?.stop()
  stack = undefined
})

const breakerOf = async (s: Stack) => (await s.json(['status'])).breakers.find((b: {name: string}) => b.name === 'payment')
/** How many approvals reached the payment service (it logs each one it delays). */
const approvalsSeen = async (s: Stack) =>
  ((await s.json(['logs', 'payment'])) as string[]).filter((line) => line.includes('after the configured delay')).length

async function reservations(s: Stack, n: number): Promise<number[]> {
  const numbers = []
  for (let i = 0; i < n; i++) {
    const {itemNo} = await s.json(['item', 'register', '--name', `Thing ${i}`, '--price', '50'])
    numbers.push((await s.json(['reserve', String(itemNo), '--customer', 'Young'])).reservationNo)
  }
  return numbers
}

describe('payment under stress', () => {
  it('times out past the deadline (exit 5), opens the breaker, fails fast without reaching payment, then half-opens and closes', async () => {
    stack = await startStack({
      config: {paymentDelayMs: 1000, paymentTimeoutMs: 200, breakerVolumeThreshold: 3, breakerResetTimeoutMs: 1500},
    })
    const res = await reservations(stack, 5)
    expect(await breakerOf(stack)).toMatchObject({state: 'closed', calls: 0})

    for (const r of res.slice(0, 3)) {
      const pay = await stack.cli('pay', String(r), '--json')
      expect(pay.code).toBe(5)
      expect(pay.json.error.code).toBe('PAYMENT_TIMEOUT')
      expect(pay.stderr).toContain('try again later')
    }
    const open = await eventually(async () => {
      const b = await breakerOf(stack!)
      expect(b).toMatchObject({state: 'open', failures: 3})
      return b
    })
    expect(Date.parse(open.nextAttemptAt)).toBeGreaterThan(Date.now() - 1500)

    const reached = await approvalsSeen(stack)
    const fast = await stack.cli('pay', String(res[3]), '--json')
    expect(fast.code).toBe(5)
    expect(fast.json.error.code).toBe('CIRCUIT_OPEN')
    expect(fast.stderr).toMatch(/try again in \d+ s/)
    expect(await approvalsSeen(stack)).toBe(reached) // payment never saw it
    expect(await stack.json(['reservation', 'show', String(res[3])])).toMatchObject({paymentStatus: 'NotPaid'})

    // payment made fast again: the next probe after the reset timeout closes the breaker
    await stack.json(['config', 'unset', 'paymentDelayMs'])
    await stack.json(['service', 'restart', 'payment'])
    await eventually(async () => expect((await breakerOf(stack!)).state).not.toBe('open'), {timeoutMs: 10_000})
    expect(await stack.json(['pay', String(res[4])])).toMatchObject({paymentStatus: 'Paid'})
    expect(await breakerOf(stack)).toMatchObject({state: 'closed'})
  })

  it('reconciles a payment that went through after the caller gave up: Paid, exactly one payment, a retry returns it', async () => {
    stack = await startStack({config: {paymentDelayMs: 800, paymentTimeoutMs: 200}})
    const [r] = await reservations(stack, 1)
    const pay = await stack.cli('pay', String(r), '--json')
    expect(pay.code).toBe(5)
    expect(pay.json.error.code).toBe('PAYMENT_TIMEOUT')

    await eventually(async () => expect(await stack!.json(['reservation', 'show', String(r)])).toMatchObject({paymentStatus: 'Paid'}))
    const payments = ((await stack.json(['payment', 'list'])) as {reservationNo: number}[]).filter((p) => p.reservationNo === r)
    expect(payments).toHaveLength(1)
    expect(await stack.json(['pay', String(r)])).toEqual(payments[0])
    expect(((await stack.json(['payment', 'list'])) as {reservationNo: number}[]).filter((p) => p.reservationNo === r)).toHaveLength(1)
  })

  it('a declined payment is an answer, not a failure: it never opens the breaker', async () => {
    stack = await startStack({config: {paymentLimit: 10, breakerVolumeThreshold: 2}})
    for (const r of await reservations(stack, 4)) {
      const pay = await stack.cli('pay', String(r), '--json')
      expect(pay.code).toBe(3)
      expect(pay.json.error.code).toBe('DECLINED')
    }
    expect(await breakerOf(stack)).toMatchObject({state: 'closed', failures: 0})
  })

  it('--payment-timeout-ms gives one call its own deadline', async () => {
    stack = await startStack({config: {paymentDelayMs: 700, paymentTimeoutMs: 200}})
    const [r] = await reservations(stack, 1)
    expect(await stack.json(['pay', String(r), '--payment-timeout-ms', '5000'])).toMatchObject({paymentStatus: 'Paid'})
  })
})
