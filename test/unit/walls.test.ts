import {describe, expect, it} from 'vitest'

import {authenticate, mayPublish, maySubscribe, newCredentials, type Role} from '../../src/bus/walls.js'

describe('who may connect', () => {
  const credentials = newCredentials()
  const pw = (role: Role) => Buffer.from(credentials[role])

  it('takes a role with its own password; a daemon only under its own client id', () => {
    expect(authenticate(credentials, 'gdmarket-item', 'item', pw('item'))).toBe('item')
    expect(authenticate(credentials, 'gdmarket-item-tool-1', 'item', pw('item'))).toBe('item')
    expect(authenticate(credentials, 'gdmarket-payment', 'item', pw('item'))).toBeUndefined()
    expect(authenticate(credentials, 'tool', 'reader', pw('reader'))).toBe('reader')
  })

  it('refuses no password, a wrong one, an unknown role, and a reader under a daemon\'s client id', () => {
    expect(authenticate(credentials, 'tool', 'reader', undefined)).toBeUndefined()
    expect(authenticate(credentials, 'tool', 'reader', Buffer.from('guess'))).toBeUndefined()
    expect(authenticate(credentials, 'tool', 'item', pw('reader'))).toBeUndefined()
    expect(authenticate(credentials, 'tool', 'admin', pw('reader'))).toBeUndefined()
    expect(authenticate(credentials, 'gdmarket-item', 'reader', pw('reader'))).toBeUndefined()
  })
})

describe('the topic ownership table', () => {
  it('a service publishes its own events and liveness, and replies; no one else\'s', () => {
    expect(mayPublish('payment', 'gdmarket/events/payment/PaymentApproved')).toBe(true)
    expect(mayPublish('reservation', 'gdmarket/events/payment/PaymentApproved')).toBe(false)
    expect(mayPublish('view', 'gdmarket/events/view/Anything')).toBe(false) // the view makes no events
    expect(mayPublish('item', 'gdmarket/status/item')).toBe(true)
    expect(mayPublish('item', 'gdmarket/status/payment')).toBe(false)
    expect(mayPublish('item', 'gdmarket/replies/gateway')).toBe(true)
  })

  it('requests come only from the callers that need them: reservation → payment, item → reservation, and history to a followed service', () => {
    expect(mayPublish('reservation', 'gdmarket/requests/payment/approve')).toBe(true)
    expect(mayPublish('item', 'gdmarket/requests/reservation/startRental')).toBe(true)
    expect(mayPublish('payment', 'gdmarket/requests/reservation/startRental')).toBe(false)
    expect(mayPublish('item', 'gdmarket/requests/payment/approve')).toBe(false)
    expect(mayPublish('view', 'gdmarket/requests/item/history')).toBe(true)
    expect(mayPublish('payment', 'gdmarket/requests/item/history')).toBe(false) // payment does not follow item
    expect(mayPublish('reader', 'gdmarket/requests/item/history')).toBe(true)
    expect(mayPublish('reader', 'gdmarket/requests/view/history')).toBe(true)
    expect(mayPublish('reader', 'gdmarket/requests/item/register')).toBe(false)
    expect(mayPublish('item', 'gdmarket/requests/supervisor/stop')).toBe(false)
    expect(mayPublish('item', 'other/topic')).toBe(false)
  })

  it('a starting service asks only those that follow it what they have seen of it, and nothing else', () => {
    expect(mayPublish('reservation', 'gdmarket/requests/view/seen')).toBe(true)
    expect(mayPublish('reservation', 'gdmarket/requests/item/witness')).toBe(true)
    expect(mayPublish('payment', 'gdmarket/requests/reservation/seen')).toBe(true)
    expect(mayPublish('payment', 'gdmarket/requests/reservation/approve')).toBe(false)
    expect(mayPublish('view', 'gdmarket/requests/item/seen')).toBe(false) // nobody follows the view
    expect(mayPublish('item', 'gdmarket/requests/payment/seen')).toBe(false) // payment does not follow item
    expect(mayPublish('reader', 'gdmarket/requests/view/witness')).toBe(false)
    // it watches whether they are stopped (then it does not wait for them), on its own short connection
    expect(maySubscribe('reservation', 'gdmarket/status/view', 'gdmarket-reservation-check')).toBe(true)
    expect(maySubscribe('payment', 'gdmarket/status/reservation', 'gdmarket-payment-check')).toBe(true)
    expect(maySubscribe('payment', 'gdmarket/status/item', 'gdmarket-payment-check')).toBe(false) // item does not follow payment
    expect(maySubscribe('reservation', 'gdmarket/replies/gdmarket-reservation-check', 'gdmarket-reservation-check')).toBe(true)
    expect(maySubscribe('reservation', 'gdmarket/requests/item/+', 'gdmarket-reservation-check')).toBe(false)
  })

  it('each subscribes to what it follows and what is addressed to it, exactly', () => {
    expect(maySubscribe('item', 'gdmarket/events/reservation/+', 'gdmarket-item')).toBe(true)
    expect(maySubscribe('item', 'gdmarket/events/payment/+', 'gdmarket-item')).toBe(false) // paid or not is reservation's to say
    expect(maySubscribe('item', 'gdmarket/events/+/+', 'gdmarket-item')).toBe(false)
    expect(maySubscribe('item', 'gdmarket/requests/item/+', 'gdmarket-item')).toBe(true)
    expect(maySubscribe('item', 'gdmarket/requests/payment/+', 'gdmarket-item')).toBe(false)
    expect(maySubscribe('reservation', 'gdmarket/replies/gdmarket-reservation', 'gdmarket-reservation')).toBe(true)
    expect(maySubscribe('reservation', 'gdmarket/replies/gateway', 'gdmarket-reservation')).toBe(false)
    expect(maySubscribe('reader', 'gdmarket/events/+/+', 'tool')).toBe(true)
    expect(maySubscribe('reader', 'gdmarket/events/reservation/Reserved', 'tool')).toBe(true)
    expect(maySubscribe('reader', 'gdmarket/events/#', 'tool')).toBe(true)
    expect(maySubscribe('reader', 'gdmarket/requests/#', 'tool')).toBe(false)
    expect(maySubscribe('reader', 'gdmarket/#', 'tool')).toBe(false)
    expect(maySubscribe('reader', 'gdmarket/replies/tool', 'tool')).toBe(true)
    expect(maySubscribe('reader', 'gdmarket/replies/other', 'tool')).toBe(false)
  })
})

describe('replicas of the view (docs/deploy.md#view-replicas)', () => {
  const credentials = newCredentials()

  it('connect as the view under their own client ids, gdmarket-view-2 … ; no other role takes those', () => {
    expect(authenticate(credentials, 'gdmarket-view-2', 'view', Buffer.from(credentials.view))).toBe('view')
    expect(authenticate(credentials, 'gdmarket-view-8', 'view', Buffer.from(credentials.view))).toBe('view')
    expect(authenticate(credentials, 'gdmarket-view-2', 'reader', Buffer.from(credentials.reader))).toBeUndefined()
    expect(authenticate(credentials, 'gdmarket-view-2', 'item', Buffer.from(credentials.item))).toBeUndefined()
  })

  it('announce their own liveness and take their own requests and replies; the gateway may send them requests; nobody else may', () => {
    expect(mayPublish('view', 'gdmarket/status/view-2')).toBe(true)
    expect(mayPublish('view', 'gdmarket/status/view-9')).toBe(false) // at most 8
    expect(mayPublish('item', 'gdmarket/status/view-2')).toBe(false)
    expect(maySubscribe('view', 'gdmarket/requests/view-3/+', 'gdmarket-view-3')).toBe(true)
    expect(maySubscribe('view', 'gdmarket/replies/gdmarket-view-3', 'gdmarket-view-3')).toBe(true)
    expect(maySubscribe('view', 'gdmarket/status/view-3', 'gdmarket-view-3')).toBe(true)
    expect(maySubscribe('item', 'gdmarket/requests/view-3/+', 'gdmarket-item')).toBe(false)
    expect(mayPublish('gateway', 'gdmarket/requests/view-3/list')).toBe(true)
    expect(mayPublish('gateway', 'gdmarket/status/view-3')).toBe(true) // the supervisor's `stopped` for it
    expect(mayPublish('reader', 'gdmarket/requests/view-3/list')).toBe(false)
  })
})
