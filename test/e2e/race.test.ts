import {afterAll, beforeAll, expect, it} from 'vitest'

import {startStack, type Stack} from './stack.js'

let stack: Stack
beforeAll(async () => {
  stack = await startStack()
})
afterAll(async () => {
  await stack?.stop()
})

it('20 renters race for one item: exactly one reservation wins, the other 19 exit 3', async () => {
  const {itemNo} = await stack.json(['item', 'register', '--name', 'Popular camera', '--price', '100'])
  const attempts = await Promise.all(
    Array.from({length: 20}, (_, i) => stack.cli('reserve', String(itemNo), '--customer', `Renter ${i}`, '--json')),
  )
  const codes = attempts.map((a) => a.code).sort()
  expect(codes).toEqual([0, ...Array(19).fill(3)])
  for (const loser of attempts.filter((a) => a.code === 3)) {
    expect(loser.json.error.code).toBe('NOT_RENTABLE')
  }
  const winner = attempts.find((a) => a.code === 0)!.json
  const active = ((await stack.json(['reservation', 'list'])) as {itemNo: number; reservationStatus: string}[]).filter(
    (r) => r.itemNo === itemNo && r.reservationStatus === 'Reserved',
  )
  expect(active).toEqual([expect.objectContaining({reservationNo: winner.reservationNo})])
  expect(await stack.json(['item', 'show', String(itemNo)])).toMatchObject({reservationNo: winner.reservationNo})
})
