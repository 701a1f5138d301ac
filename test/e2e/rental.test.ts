import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runCli, startStack, testBrokers, type Stack} from './stack.js'

let stack: Stack

const register = async (name: string, price: number) => (await stack.json(['item', 'register', '--name', name, '--price', String(price)])).itemNo as number
const reserve = async (itemNo: number, customer = 'Young') =>
  (await stack.json(['reserve', String(itemNo), '--customer', customer])).reservationNo as number
const viewRow = async (itemNo: number) => ((await stack.json(['view'])) as {itemNo: number}[]).find((r) => r.itemNo === itemNo)

// the market's rules through the gateway, on the embedded broker and on Mosquitto (docs/deploy.md)
describe.each(testBrokers('the rental flow on Mosquitto'))('on the %s broker', (broker) => {
  beforeAll(async () => {
    stack = await startStack({broker})
  })
  afterAll(async () => {
    await stack?.stop()
  })

  describe('a full rental, each step seeing its own change at once', () => {
    it('registers, reserves, pays, lends, returns — and the view follows every step', async () => {
      const item = await stack.json(['item', 'register', '--name', 'Camera', '--price', '100'])
      expect(item).toEqual({itemNo: item.itemNo, itemName: 'Camera', itemPrice: 100, itemStatus: 'Rentable', rentalStatus: 'NotRenting', reservationNo: null, latitude: null, longitude: null})

      const reservation = await stack.json(['reserve', String(item.itemNo), '--customer', 'Young', '--customer-id', 'young01'])
      expect(reservation).toMatchObject({
        itemNo: item.itemNo,
        itemName: 'Camera',
        itemPrice: 100,
        customerName: 'Young',
        customerId: 'young01',
        reservationStatus: 'Reserved',
        paymentStatus: 'NotPaid',
        rentalStatus: 'NotRenting',
      })
      expect(reservation.correlationId).toEqual(expect.any(String))
      const resNo = String(reservation.reservationNo)
      expect(await stack.json(['item', 'show', String(item.itemNo)])).toMatchObject({itemStatus: 'NotRentable', reservationNo: reservation.reservationNo})

      const payment = await stack.json(['pay', resNo])
      expect(payment).toMatchObject({reservationNo: reservation.reservationNo, itemNo: item.itemNo, amount: 100, paymentStatus: 'Paid'})
      expect(await stack.json(['payment', 'list'])).toContainEqual(payment)
      expect(await stack.json(['reservation', 'show', resNo])).toMatchObject({paymentStatus: 'Paid'})

      expect(await stack.json(['lend', String(item.itemNo)])).toMatchObject({rentalStatus: 'Renting'})
      expect(await stack.json(['reservation', 'show', resNo])).toMatchObject({rentalStatus: 'Renting', reservationStatus: 'Reserved'})
      expect(await viewRow(item.itemNo)).toEqual({
        itemNo: item.itemNo,
        itemName: 'Camera',
        itemPrice: 100,
        itemStatus: 'NotRentable',
        rentalStatus: 'Renting',
        reservationNo: reservation.reservationNo,
        latitude: null,
        longitude: null,
        customerName: 'Young',
        customerId: 'young01',
        paymentStatus: 'Paid',
      })

      expect(await stack.json(['return', String(item.itemNo)])).toMatchObject({itemStatus: 'Rentable', rentalStatus: 'Returned', reservationNo: null})
      expect(await stack.json(['reservation', 'show', resNo])).toMatchObject({rentalStatus: 'Returned', reservationStatus: 'Completed'})
      expect(await viewRow(item.itemNo)).toMatchObject({itemStatus: 'Rentable', rentalStatus: 'Returned', reservationNo: null})
    })

    it('paying twice answers with the same payment and charges once', async () => {
      const res = await reserve(await register('Tent', 40))
      const first = await stack.json(['pay', String(res)])
      const second = await stack.json(['pay', String(res)])
      expect(second).toEqual(first)
      const payments = (await stack.json(['payment', 'list'])) as {reservationNo: number}[]
      expect(payments.filter((p) => p.reservationNo === res)).toHaveLength(1)
    })

    it('register then reserve at once, ten times over: the reservation service always knows the new item', async () => {
      for (let i = 0; i < 10; i++) {
        const itemNo = await register(`Bike ${i}`, 10 + i)
        const reservation = await stack.json(['reserve', String(itemNo), '--customer', 'Rapid'])
        expect(reservation).toMatchObject({itemNo, reservationStatus: 'Reserved'})
        expect(await viewRow(itemNo)).toMatchObject({itemStatus: 'NotRentable', customerName: 'Rapid'})
      }
    })
  })

  describe('cancellations', () => {
    it('cancels a paid reservation: refunded first, then cancelled, and the item is rentable again', async () => {
      const itemNo = await register('Drill', 30)
      const res = await reserve(itemNo)
      await stack.json(['pay', String(res)])
      expect(await stack.json(['reservation', 'cancel', String(res)])).toMatchObject({reservationStatus: 'Cancelled', paymentStatus: 'NotPaid'})
      const payments = (await stack.json(['payment', 'list'])) as {reservationNo: number; paymentStatus: string}[]
      expect(payments.filter((p) => p.reservationNo === res).map((p) => p.paymentStatus)).toEqual(['Cancelled'])
      expect(await stack.json(['item', 'show', String(itemNo)])).toMatchObject({itemStatus: 'Rentable', reservationNo: null})
      expect(await viewRow(itemNo)).toMatchObject({itemStatus: 'Rentable', reservationNo: null})
    })

    it('refuses to cancel a reservation twice (exit 3)', async () => {
      const res = await reserve(await register('Kayak', 80))
      await stack.json(['reservation', 'cancel', String(res)])
      const again = await stack.cli('reservation', 'cancel', String(res))
      expect(again.code).toBe(3)
      expect(again.stderr).toMatch(/reservation \d+ is Cancelled/)
    })

    it('cancels a payment: the reservation is NotPaid again and the item stays reserved', async () => {
      const itemNo = await register('Ladder', 15)
      const res = await reserve(itemNo)
      await stack.json(['pay', String(res)])
      expect(await stack.json(['payment', 'cancel', String(res)])).toMatchObject({reservationNo: res, paymentStatus: 'Cancelled'})
      expect(await stack.json(['reservation', 'show', String(res)])).toMatchObject({reservationStatus: 'Reserved', paymentStatus: 'NotPaid'})
      expect(await stack.json(['item', 'show', String(itemNo)])).toMatchObject({itemStatus: 'NotRentable', reservationNo: res})
      const lend = await stack.cli('lend', String(itemNo))
      expect(lend.code).toBe(3)
      expect(lend.stderr).toContain('is not paid')
    })

    it('refuses to cancel the payment of an unpaid reservation (exit 3)', async () => {
      const res = await reserve(await register('Sled', 12))
      const result = await stack.cli('payment', 'cancel', String(res), '--json')
      expect(result.code).toBe(3)
      expect(result.json).toEqual({error: {code: 'NOT_PAID', message: expect.stringContaining('is not paid')}})
    })

    it('refuses to cancel a reservation or its payment once the item is lent (exit 3)', async () => {
      const itemNo = await register('Projector', 60)
      const res = await reserve(itemNo)
      await stack.json(['pay', String(res)])
      await stack.json(['lend', String(itemNo)])
      expect((await stack.cli('reservation', 'cancel', String(res))).code).toBe(3)
      expect((await stack.cli('payment', 'cancel', String(res))).code).toBe(3)
      expect((await stack.cli('lend', String(itemNo))).code).toBe(3)
      // a second renter hears that it is out, and since when, not that it is "already reserved"
      const second = await stack.cli('reserve', String(itemNo), '--customer', 'Kim')
      expect(second.code).toBe(3)
      expect(second.stderr).toMatch(new RegExp(`item ${itemNo} is lent out since \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\(reservation ${res}\\)`))
    })
  })

  describe('deleting items', () => {
    it('deletes a free item: it leaves the item list and the view', async () => {
      const itemNo = await register('Old chair', 5)
      expect(await stack.json(['item', 'delete', String(itemNo)])).toMatchObject({itemNo, deleted: true})
      expect((await stack.cli('item', 'show', String(itemNo))).code).toBe(4)
      expect(await viewRow(itemNo)).toBeUndefined()
      const reserve = await stack.cli('reserve', String(itemNo), '--customer', 'Late')
      expect(reserve.code).toBe(4)
    })

    it('refuses to delete a reserved item without --force (exit 3)', async () => {
      const itemNo = await register('Guitar', 70)
      await reserve(itemNo)
      const result = await stack.cli('item', 'delete', String(itemNo))
      expect(result.code).toBe(3)
      expect(result.stderr).toContain('--force')
    })

    it('refuses to delete a lent item, even with --force (exit 3)', async () => {
      const itemNo = await register('Saw', 9)
      await stack.json(['pay', String(await reserve(itemNo))])
      await stack.json(['lend', String(itemNo)])
      expect((await stack.cli('item', 'delete', String(itemNo), '--force')).code).toBe(3)
    })

    it('with --force a reserved and paid item is deleted and the saga cancels and refunds its reservation', async () => {
      const itemNo = await register('Canoe', 90)
      const res = await reserve(itemNo)
      await stack.json(['pay', String(res)])
      expect(await stack.json(['item', 'delete', String(itemNo), '--force'])).toMatchObject({itemNo, deleted: true, reservationNo: res})
      // the direct effect is seen at once…
      expect(await stack.json(['reservation', 'show', String(res)])).toMatchObject({reservationStatus: 'Cancelled'})
      expect(await viewRow(itemNo)).toBeUndefined()
      // …the refund is the saga's next step, at payment
      const {eventually} = await import('./stack.js')
      await eventually(async () => {
        const payments = (await stack.json(['payment', 'list'])) as {reservationNo: number; paymentStatus: string}[]
        expect(payments.find((p) => p.reservationNo === res)?.paymentStatus).toBe('Cancelled')
        expect(await stack.json(['reservation', 'show', String(res)])).toMatchObject({paymentStatus: 'NotPaid'})
      })
    })
  })
})

describe('on the embedded broker', () => {
  beforeAll(async () => {
    stack = await startStack()
  })
  afterAll(async () => {
    await stack?.stop()
  })

  describe('tables for people fit the terminal', () => {
    const widest = (text: string) => Math.max(...text.split('\n').map((line) => [...line].length))
    const headers = (text: string) => text.split('\n')[1].split('│').map((h) => h.trim()).filter(Boolean)

    it('view fits 80 columns when stdout is no terminal, --wide has every column, $COLUMNS widens it', async () => {
      const itemNo = await register('Canon EOS R5 with RF 24-105mm f/4L lens, two batteries and a 128 GB card', 125000)
      await stack.json(['reserve', String(itemNo), '--customer', 'Maximilian Alexander von Humboldt-Ramirez', '--customer-id', 'max.humboldt-ramirez@example.org'])

      const view = await stack.cli('view')
      expect(view.code, view.stderr).toBe(0)
      expect(widest(view.stdout)).toBeLessThanOrEqual(80)
      expect(view.stdout).toContain('Canon EOS') // cut short with …, not left out
      expect(view.stdout).toContain('…')

      const wide = await stack.cli('view', '--wide')
      expect(headers(wide.stdout)).toEqual(['#', 'item', 'price', 'status', 'rental', 'res', 'customer', 'id', 'paid'])
      expect(wide.stdout).toContain('two batteries and a 128 GB card')
      expect(wide.stdout).toContain('max.humboldt-ramirez@example.org')

      const roomy = await runCli(['view'], {dataDir: stack.dataDir, env: {COLUMNS: '200'}})
      expect(roomy.stdout).toContain('max.humboldt-ramirez@example.org')
      expect(widest(roomy.stdout)).toBeLessThanOrEqual(200)

      const some = await stack.cli('view', '--columns', 'item,customer')
      expect(headers(some.stdout)).toEqual(['item', 'customer'])
    })
  })
})
