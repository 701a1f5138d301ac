// @ts-check
/**
 * Event propagation: how long after a `reserve` reply the view shows the item NotRentable.
 *
 * Method: the bench client subscribes to gdmarket/events/reservation/Reserved, registers an item
 * and reserves it. From the moment the reserve reply arrives it asks the view (`view list`, the
 * request behind `gdmarket view`) until that item's row is NotRentable; the time to that answer
 * is one sample. The view's barrier (docs/architecture.md, read-your-writes) holds the request until the
 * view has applied what reservation had acknowledged, so the first answer already shows it
 * (`maxPolls` says if one ever did not): a sample is the barrier, the view applying and storing
 * the event, and one `view list` round trip — which is also measured alone, at rest. The
 * subscription records when the event itself reached a subscriber, relative to the reply.
 */
import {topics} from '../dist/bus/topics.js'
import {BenchStack} from './stacks.mjs'
import {Latencies, round, summarise} from './stats.mjs'

/** @param {BenchStack} stack @param {number} samples */
export async function measurePropagation(stack, samples) {
  const {bus, market} = stack
  const reserved = topics.event('reservation', 'Reserved')
  /** @type {Map<number, number>} reservationNo → when its Reserved event arrived here */
  const arrived = new Map()
  const onEvent = (/** @type {string} */ topic, /** @type {Buffer} */ payload) => {
    if (topic === reserved) arrived.set(JSON.parse(payload.toString()).data.reservationNo, performance.now())
  }
  bus.listeners.add(onEvent)
  await bus.client.subscribeAsync(reserved, {qos: 0})
  const latencies = new Latencies()
  /** @type {number[]} how long before the reply the event reached a subscriber (negative: after) */
  const eventLead = []
  let maxPolls = 0
  try {
    for (let i = 0; i < samples; i++) {
      const {itemNo} = await market.register({itemName: `propagation ${i}`, itemPrice: 10})
      const {reservationNo} = await market.reserve({itemNo, customerName: 'Bench', customerId: 'propagation'})
      const replied = performance.now()
      for (let polls = 1; ; polls++) {
        const row = (await market.view()).find((/** @type {{itemNo: number}} */ r) => r.itemNo === itemNo)
        if (row?.itemStatus === 'NotRentable') {
          latencies.add('propagation', performance.now() - replied)
          maxPolls = Math.max(maxPolls, polls)
          break
        }
        if (performance.now() - replied > 10_000) throw new Error(`the view did not show item ${itemNo} NotRentable within 10 s`)
      }
      const at = arrived.get(reservationNo)
      if (at !== undefined) eventLead.push(replied - at)
      await latencies.time('view list at rest', () => market.view())
    }
  } finally {
    bus.listeners.delete(onEvent)
    await bus.client.unsubscribeAsync(reserved).catch(() => {})
  }
  const summary = latencies.summary()
  const lead = summarise(eventLead)
  return {
    method:
      'subscribe to gdmarket/events/reservation/Reserved; from the reserve reply, ask `view list` until the row is NotRentable',
    ...summary.propagation,
    maxPolls,
    viewListAtRest: summary['view list at rest'],
    eventBeforeReplyP50Ms: round(lead.p50Ms),
  }
}
