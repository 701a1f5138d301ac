import {describe, expect, it} from 'vitest'

import {withNextLine} from '../../../src/cli/nextLine.js'
import type {NextStep} from '../../../src/nextStep.js'
import {nextRequest} from '../../../src/stack/gateway/nextRequest.js'
import {nextHint} from '../../../src/wizard/nextHint.js'

describe('a refusal says its next step as data; each edge says it in its own terms', () => {
  it.each<[NextStep, string, object | undefined, string | undefined]>([
    [{command: 'reservation.pay', reservationNo: 3}, '`gdmarket pay 3`', {method: 'PATCH', path: '/reservations/3', body: {paymentStatus: 'Paid'}}, 'pay reservation 3 under Renter → My reservations'],
    [{command: 'item.return', itemNo: 2}, '`gdmarket return 2`', {method: 'PATCH', path: '/items/2', body: {rentalStatus: 'Returned'}}, 'take item 2 back under Owner → Take an item back'],
    [{command: 'item.delete', itemNo: 4, force: true}, '`gdmarket item delete 4 --force`', {method: 'DELETE', path: '/items/4?force=true'}, expect.stringContaining('delete item 4') as never],
    [{command: 'reservation.reserve', itemNo: 1}, '`gdmarket reserve 1 --customer NAME`', {method: 'POST', path: '/reservations', body: {itemNo: 1}}, 'reserve item 1 under Renter → Rent an item'],
    [{command: 'view.list'}, '`gdmarket view`', {method: 'GET', path: '/itemInfoes'}, expect.stringContaining('Rent an item') as never],
    [{command: 'service.start', service: 'payment'}, '`gdmarket service start payment`', {method: 'POST', path: '/stack/services/payment/start'}, undefined],
    [{command: 'store.recover', service: 'item'}, '`gdmarket store recover item`', {method: 'POST', path: '/stack/stores/item/recover'}, undefined],
    [{command: 'logs', service: 'item'}, '`gdmarket logs item`', undefined, undefined],
    [{command: 'token'}, '`gdmarket token`', undefined, undefined],
  ])('%o', (step, line, request, hint) => {
    expect(withNextLine('the reason', step)).toBe(`the reason: ${line}`)
    expect(nextRequest(step)).toEqual(request)
    expect(nextHint(step)).toEqual(hint)
  })

  it('a step an edge does not know (a newer stack) is left out, and the message stands alone', () => {
    const unknown = {command: 'item.polish'} as unknown as NextStep
    expect(withNextLine('the reason', unknown)).toBe('the reason')
    expect(nextRequest(unknown)).toBeUndefined()
    expect(nextHint(unknown)).toBeUndefined()
  })
})
