import {parseEnvelope, type Envelope} from '../bus/events.js'
import type {CausalBarrier} from './barrier.js'
import type {Applied} from './consumer.js'
import type {Mailbox} from './mailbox.js'

export interface EventPipelineDeps {
  /** applies one event once (the inbox), in order per source; `fetched` when it came in an answer */
  apply(event: Envelope, fetched?: boolean): Promise<Applied>
  mailbox: Mailbox
  barrier: CausalBarrier
  /** counts a message that is not a valid event */
  poison(why: string, topic: string): void
  /** something other than a plain apply happened (a duplicate, a dead letter): the counters changed */
  counted(): void
}

/**
 * Every event a service takes in, delivered by the broker or fetched (a saga's reply, a repair):
 * validated at the boundary, applied one at a time in the mailbox, and then the requests waiting
 * for it at the barrier go on.
 */
export class EventPipeline {
  constructor(private readonly deps: EventPipelineDeps) {}

  /** A delivered message; the promise, when there is one, is the broker's acknowledgement. */
  deliver(topic: string, payload: Buffer): Promise<void> | void {
    let raw: unknown
    try {
      raw = JSON.parse(payload.toString())
    } catch {
      return this.deps.poison('not JSON', topic)
    }
    const parsed = parseEnvelope(raw)
    if (!parsed.ok) return this.deps.poison(parsed.problem, topic)
    return this.deps.mailbox.run(async () => {
      if ((await this.deps.apply(parsed.envelope)) !== 'applied') this.deps.counted()
      this.deps.barrier.wake()
    })
  }

  /**
   * Events fetched rather than delivered (a saga's reply, a repair's page), applied like delivered
   * ones once they pass the same check, and only if they come from the service that was asked: a
   * reply is as untrusted as any message (one forged reply once replaced a whole store).
   */
  fetched(events: unknown, from: string): Promise<void> {
    const valid: Envelope[] = []
    for (const raw of Array.isArray(events) ? events : [events]) {
      const parsed = parseEnvelope(raw)
      if (!parsed.ok) this.deps.poison(`a fetched event: ${parsed.problem}`, `the answer of ${from}`)
      else if (parsed.envelope.source !== from) this.deps.poison(`an event of ${parsed.envelope.source} in the answer of ${from}`, `the answer of ${from}`)
      else valid.push(parsed.envelope)
    }
    return this.deps.mailbox.run(async () => {
      for (const event of valid) await this.deps.apply(event, true)
      this.deps.barrier.wake()
    })
  }
}
