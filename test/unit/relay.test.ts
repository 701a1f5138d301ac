import {describe, expect, it, vi} from 'vitest'

import type {Envelope} from '../../src/bus/events.js'
import {OutboxRelay, REFUSED_RETRY_MS} from '../../src/runtime/relay.js'
import type {ServiceStore} from '../../src/store/serviceStore.js'

/** An outbox of `count` events and how far it is published: all the relay reads of a store. */
function outbox(count: number) {
  const events = Array.from({length: count}, (_, i) => ({seq: i + 1}) as Envelope)
  const store = {
    publishedSeq: 0,
    unpublished: () => events.filter((e) => e.seq > store.publishedSeq),
    markPublished: (seq: number) => void (store.publishedSeq = seq),
  }
  return store
}
const log = {info: () => {}, warn: () => {}, error: vi.fn()}
/** mqtt.js's error for a PUBACK with a reason code (MQTT 5) */
const notAuthorized = () => Object.assign(new Error('Publish error: Not authorized'), {code: 0x87})

describe('the outbox relay, when the broker refuses a publish (MQTT 5 reason code)', () => {
  it('keeps the events in the outbox, answers no one, and publishes them once the broker takes them', async () => {
    vi.useFakeTimers()
    try {
      const store = outbox(2)
      let refuse = true
      const publish = vi.fn(async (event: Envelope) => {
        if (refuse && event.seq === 2) throw notAuthorized()
      })
      const relay = new OutboxRelay(store as unknown as ServiceStore<unknown>, publish, log as never)
      let answered = false
      void relay.published(2).then(() => (answered = true))
      await vi.advanceTimersByTimeAsync(0)
      expect(store.publishedSeq).toBe(0) // the batch was not all taken: nothing counts as published
      expect(answered).toBe(false)
      expect(log.error).toHaveBeenCalledWith(expect.stringContaining('the broker refused an event (Publish error: Not authorized)'))
      refuse = false // the broker's ACL mended
      await vi.advanceTimersByTimeAsync(REFUSED_RETRY_MS)
      expect(store.publishedSeq).toBe(2)
      expect(answered).toBe(true)
    } finally {
      vi.useRealTimers()
    }
  })
})
