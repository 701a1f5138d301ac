import {describe, expect, it} from 'vitest'

import {marketClient} from '../../src/cli/market.js'

describe('the market client, made from the contract table: shared by the plain commands, the wizard and load', () => {
  it("sends each command as the HTTP request on the original REST paths that its binding names", async () => {
    const sent: unknown[][] = []
    const market = marketClient(async (method, path, body) => {
      sent.push([method, path, body])
      return 'reply'
    })
    const calls: [() => Promise<unknown>, unknown[]][] = [
      [() => market.item.show({itemNo: 1}), ['GET', '/items/1', undefined]],
      [() => market.item.register({itemName: 'Camera', itemPrice: 100}), ['POST', '/items', {itemName: 'Camera', itemPrice: 100}]],
      [() => market.item.lend({itemNo: 1}), ['PATCH', '/items/1', {rentalStatus: 'Renting'}]],
      [() => market.item.return({itemNo: 1}), ['PATCH', '/items/1', {rentalStatus: 'Returned'}]],
      [() => market.item.delete({itemNo: 1, force: true}), ['DELETE', '/items/1?force=true', undefined]],
      [() => market.item.delete({itemNo: 1}), ['DELETE', '/items/1', undefined]],
      [() => market.reservation.reserve({itemNo: 1, customerName: 'Young', customerId: 'young01'}), ['POST', '/reservations', {itemNo: 1, customerName: 'Young', customerId: 'young01'}]],
      [() => market.reservation.show({reservationNo: 2}), ['GET', '/reservations/2', undefined]],
      [() => market.reservation.cancel({reservationNo: 2}), ['PATCH', '/reservations/2', {reservationStatus: 'Cancelled'}]],
      [() => market.reservation.pay({reservationNo: 3, paymentTimeoutMs: 900}), ['PATCH', '/reservations/3', {paymentStatus: 'Paid', paymentTimeoutMs: 900}]],
      [() => market.reservation.cancelPayment({reservationNo: 3}), ['PATCH', '/reservations/3', {paymentStatus: 'NotPaid'}]],
      [() => market.view.list({}), ['GET', '/itemInfoes', undefined]],
      [() => market.payment.show({paymentNo: 4}), ['GET', '/payments/4', undefined]],
    ]
    for (const [call, request] of calls) {
      expect(await call()).toBe('reply')
      expect(sent.pop()).toEqual(request)
    }
  })

  it('has no function for a command between services, which no client can send', () => {
    const market = marketClient(async () => undefined) as unknown as Record<string, Record<string, unknown>>
    expect(Object.keys(market.payment).sort()).toEqual(['list', 'show'])
    expect(Object.keys(market.reservation)).not.toContain('startRental')
  })
})
