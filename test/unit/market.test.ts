import {describe, expect, it} from 'vitest'

import {marketOver} from '../../src/cli/market.js'

describe('the market requests shared by the plain commands and the wizard', () => {
  it('each is the request (target, command, body) its plain command sends', async () => {
    const sent: unknown[][] = []
    const market = marketOver(async (target, command, body) => {
      sent.push([target, command, body])
      return 'reply'
    })
    const calls: [() => Promise<unknown>, unknown[]][] = [
      [() => market.view(), ['view', 'list', {}]],
      [() => market.items(), ['item', 'list', {}]],
      [() => market.item(1), ['item', 'show', {itemNo: 1}]],
      [() => market.register({itemName: 'Camera', itemPrice: 100}), ['item', 'register', {itemName: 'Camera', itemPrice: 100}]],
      [() => market.lend(1), ['item', 'lend', {itemNo: 1}]],
      [() => market.takeBack(1), ['item', 'return', {itemNo: 1}]],
      [() => market.deleteItem(1, true), ['item', 'delete', {itemNo: 1, force: true}]],
      [() => market.reserve({itemNo: 1, customerName: 'Young', customerId: 'young01'}), ['reservation', 'reserve', {itemNo: 1, customerName: 'Young', customerId: 'young01'}]],
      [() => market.reservations(), ['reservation', 'list', {}]],
      [() => market.reservation(2), ['reservation', 'show', {reservationNo: 2}]],
      [() => market.cancelReservation(2), ['reservation', 'cancel', {reservationNo: 2}]],
      [() => market.pay(2), ['reservation', 'pay', {reservationNo: 2}]],
      [() => market.cancelPayment(2), ['reservation', 'cancelPayment', {reservationNo: 2}]],
      [() => market.payments(), ['payment', 'list', {}]],
    ]
    for (const [call, request] of calls) {
      expect(await call()).toBe('reply')
      expect(sent.pop()).toEqual(request)
    }
  })
})
