import {randomBytes} from 'node:crypto'

import {connectBus, type BrokerAddress} from '../bus/connect.js'
import {parseEnvelope, type Envelope} from '../bus/events.js'
import {topics, type ServiceName} from '../bus/topics.js'
import {noBroker} from './stackAccess.js'

export interface EventFeed {
  /** resolves when the connection to the broker is gone (the stack stopped, or close()) */
  closed: Promise<void>
  close(): Promise<void>
}

/**
 * The live events on the bus, as `events --follow` shows them. A clean session with a random
 * client id: a tail must not leave a persistent session behind that the broker keeps filling.
 * Resolves once the broker confirmed the subscription, so nothing published afterwards is missed.
 */
export async function openEventFeed(
  broker: BrokerAddress,
  sources: readonly ServiceName[] | undefined,
  onEvent: (event: Envelope) => void,
  onProblem: (message: string) => void,
): Promise<EventFeed> {
  const clientId = `gdmarket-events-${randomBytes(6).toString('hex')}`
  const client = await connectBus(broker, {clientId, clean: true, reconnectPeriod: 0, connectTimeout: 3000}).catch(() => {
    throw noBroker(broker.port)
  })
  const closed = new Promise<void>((resolve) => client.once('close', () => resolve()))
  client.on('message', (topic, payload) => {
    let raw: unknown
    try {
      raw = JSON.parse(payload.toString())
    } catch {
      return onProblem(`ignored a message on ${topic} that is not JSON`)
    }
    const parsed = parseEnvelope(raw)
    if (parsed.ok) onEvent(parsed.envelope)
    else onProblem(`ignored a malformed event on ${topic}: ${parsed.problem}`)
  })
  const filters = sources?.length ? sources.map(topics.eventsOf) : [topics.eventsOf('+')]
  await client.subscribeAsync(filters, {qos: 1})
  return {closed, close: () => client.endAsync()}
}
