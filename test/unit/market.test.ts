import {describe, expect, it} from 'vitest'

import {restMarket} from '../../src/cli/market.js'

describe('the market requests shared by the plain commands, the wizard and load', () => {
  it('each is the HTTP request on the original REST paths that its plain command sends', async () => {
    const sent: unknown[][] = []
    const market = restMarket(async (method, path, body) => {
      sent.push([method, path, body])
      return 'reply'
    })
    const calls: [() => Promise<unknown>, unknown[]][] = [
      [() => market.item(1), ['GET', '/items/1', undefined]],
      [() => market.register({itemName: 'Camera', itemPrice: 100}), ['POST', '/items', {itemName: 'Camera', itemPrice: 100}]],
      [() => market.lend(1), ['PATCH', '/items/1', {rentalStatus: 'Renting'}]],
      [() => market.takeBack(1), ['PATCH', '/items/1', {rentalStatus: 'Returned'}]],
      [() => market.deleteItem(1, true), ['DELETE', '/items/1?force=true', undefined]],
      [() => market.deleteItem(1), ['DELETE', '/items/1', undefined]],
      [() => market.reserve({itemNo: 1, customerName: 'Young', customerId: 'young01'}), ['POST', '/reservations', {itemNo: 1, customerName: 'Young', customerId: 'young01'}]],
      [() => market.reservation(2), ['GET', '/reservations/2', undefined]],
      [() => market.cancelReservation(2), ['PATCH', '/reservations/2', {reservationStatus: 'Cancelled'}]],
    ]
    for (const [call, request] of calls) {
      expect(await call()).toBe('reply')
      expect(sent.pop()).toEqual(request)
    }
  })

  it('takes the list out of a Spring Data REST collection, and the payment out of a reservation PATCH', async () => {
    const answers: Record<string, unknown> = {
      'GET /itemInfoes': {_embedded: {itemInfoes: ['row']}},
      'GET /items': {_embedded: {items: ['item']}},
      'GET /reservations': {_embedded: {reservations: ['r']}},
      'GET /payments': {_embedded: {payments: ['p']}},
      'PATCH /reservations/3': {reservationNo: 3, payment: {paymentNo: 7}},
    }
    const bodies: unknown[] = []
    const market = restMarket(async (method, path, body) => (bodies.push(body), answers[`${method} ${path}`]))
    expect(await market.view()).toEqual(['row'])
    expect(await market.items()).toEqual(['item'])
    expect(await market.reservations()).toEqual(['r'])
    expect(await market.payments()).toEqual(['p'])
    expect(await market.pay(3, 900)).toEqual({paymentNo: 7})
    expect(bodies.pop()).toEqual({paymentStatus: 'Paid', paymentTimeoutMs: 900})
    expect(await market.cancelPayment(3)).toEqual({paymentNo: 7})
    expect(bodies.pop()).toEqual({paymentStatus: 'NotPaid', paymentTimeoutMs: undefined})
  })
})
