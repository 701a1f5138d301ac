import {describe, expect, it} from 'vitest'

import {EventFrontier} from '../../../src/stack/gateway/frontier.js'

/** a valid event of each source, as its consumers take it */
const data = {
  item: {type: 'ItemRegistered', data: {itemNo: 1, itemName: 'A', itemPrice: 1}},
  reservation: {type: 'Reserved', data: {reservationNo: 1, itemNo: 1, itemName: 'A', itemPrice: 1, customerName: 'K', customerId: 'K'}},
  payment: {type: 'PaymentApproved', data: {paymentNo: 1, reservationNo: 1, itemNo: 1, amount: 1}},
}
const event = (seq: unknown, source: keyof typeof data = 'item') =>
  Buffer.from(JSON.stringify({id: 'x', source, time: 't', correlationId: 'c', causationId: null, seq, ...data[source]}))
const online = (seq: number) => Buffer.from(JSON.stringify({state: 'online', pid: 1, at: 'now', seq}))

describe('event frontier (what the broker has accepted, per service)', () => {
  it('keeps the highest seq of each service from its events and its online announcement', () => {
    const f = new EventFrontier()
    f.observe('gdmarket/events/item/ItemRegistered', event(3))
    f.observe('gdmarket/events/item/ItemRented', event(2)) // a late one never lowers it
    f.observe('gdmarket/status/reservation', online(7))
    f.observe('gdmarket/events/payment/PaymentApproved', event(1, 'payment'))
    expect(f.snapshot()).toEqual({item: 3, reservation: 7, payment: 1})
  })

  it('hands out a copy: a request keeps the frontier it was stamped with', () => {
    const f = new EventFrontier()
    const before = f.snapshot()
    f.observe('gdmarket/events/item/ItemRegistered', event(1))
    expect(before.item).toBe(0)
  })

  it('ignores requests, replies, other topics, unknown sources and payloads without a whole positive seq', () => {
    const f = new EventFrontier()
    for (const topic of ['gdmarket/requests/item/register', 'gdmarket/replies/gateway', 'other/events/item/X', 'gdmarket/events/view/X']) f.observe(topic, event(9))
    for (const bad of [event(-1), event(1.5), event('4'), Buffer.from('not json')]) f.observe('gdmarket/events/item/ItemRegistered', bad)
    expect(f.snapshot()).toEqual({item: 0, reservation: 0, payment: 0})
  })

  it('moves only for a valid event of the topic\'s own source: a near-miss with a seq, or another source\'s event, does not', () => {
    const f = new EventFrontier()
    f.observe('gdmarket/events/reservation/Reserved', Buffer.from(JSON.stringify({id: 'x', type: 'NoSuchEvent', source: 'reservation', seq: 5, data: {}})))
    f.observe('gdmarket/events/reservation/Reserved', event(9, 'item'))
    expect(f.snapshot().reservation).toBe(0)
    f.observe('gdmarket/events/reservation/Reserved', event(2, 'reservation'))
    expect(f.snapshot().reservation).toBe(2)
  })
})
