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
  (await s.logs('payment')).filter((line) => line.message.includes('after the configured delay')).length

async function reservations(s: Stack, n: number): Promise<number[]> {
  const numbers = []
  for (let i = 0; i < n; i++) {
    const {itemNo} = await s.json(['item', 'register', '--name', `Thing ${i}`, '--price', '50'])
    numbers.push((await s.json(['reserve', String(itemNo), '--customer', 'Young'])).reservationNo)
  }
  return numbers
}

describe('payment under stress', () => {
  // Windows far longer than any CLI call on a busy machine: the failing calls are sent together
  // (as under the original's siege), so they all fall in one rolling window whatever the speed.
  const slowPayment = {paymentDelayMs: 1000, paymentTimeoutMs: 200, breakerVolumeThreshold: 3, breakerRollingCountTimeoutMs: 120_000}

  it('times out past the deadline (exit 5), opens the breaker, then fails fast without reaching payment', async () => {
    stack = await startStack({config: {...slowPayment, breakerResetTimeoutMs: 600_000}})
    const res = await reservations(stack, 4)
    expect(await breakerOf(stack)).toMatchObject({state: 'closed', calls: 0})

    const pays = await Promise.all(res.slice(0, 3).map((r) => stack!.cli('pay', String(r), '--json')))
    for (const pay of pays) {
      expect(pay.code).toBe(5)
      expect(pay.json.error.code).toBe('PAYMENT_TIMEOUT')
      expect(pay.stderr).toContain('try again later')
    }
    const open = await eventually(async () => {
      const b = await breakerOf(stack!)
      expect(b).toMatchObject({state: 'open', failures: 3, opens: 1})
      return b
    })
    expect(Date.parse(open.nextAttemptAt)).toBeGreaterThan(Date.now()) // ten minutes ahead

    const reached = await approvalsSeen(stack)
    const fast = await stack.cli('pay', String(res[3]), '--json')
    expect(fast.code).toBe(5)
    expect(fast.json.error.code).toBe('CIRCUIT_OPEN')
    expect(fast.stderr).toMatch(/try again in \d+ s/)
    expect(await approvalsSeen(stack)).toBe(reached) // payment never saw it
    expect(await stack.json(['reservation', 'show', String(res[3])])).toMatchObject({paymentStatus: 'NotPaid'})
  })

  it('after the reset timeout a probe reaches a healthy payment and closes the breaker', async () => {
    stack = await startStack({config: {...slowPayment, breakerResetTimeoutMs: 3000}})
    const res = await reservations(stack, 4)
    await Promise.all(res.slice(0, 3).map((r) => stack!.cli('pay', String(r), '--json')))
    // `opens` counts, so this holds even if the breaker half-opened before status was asked
    await eventually(async () => expect(await breakerOf(stack!)).toMatchObject({failures: 3, opens: 1}))

    // payment made fast again: pay until the breaker lets a probe through; it succeeds and closes it
    await stack.json(['config', 'unset', 'paymentDelayMs'])
    await stack.json(['service', 'restart', 'payment'])
    const paid = await eventually(
      async () => {
        const pay = await stack!.cli('pay', String(res[3]), '--json')
        if (pay.code !== 0) expect(pay.json.error.code).toBe('CIRCUIT_OPEN') // still open: try again
        expect(pay.code).toBe(0)
        return pay.json
      },
      {timeoutMs: 60_000, intervalMs: 500},
    )
    expect(paid).toMatchObject({reservationNo: res[3], paymentStatus: 'Paid'})
    // the breaker's state reaches `status` in the service's next counters report, a moment after the answer
    await eventually(async () => expect(await breakerOf(stack!)).toMatchObject({state: 'closed', opens: 1}))
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
