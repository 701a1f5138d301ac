import {setTimeout as sleep} from 'node:timers/promises'

import type {Envelope} from '../bus/events.js'
import type {ServiceName} from '../bus/topics.js'
import type {ServiceStore} from '../store/serviceStore.js'
import type {Log} from './log.js'
import {stamp, type ServiceDefinition} from './service.js'

/** How often applying one event is tried before it goes to the dead-letter list. */
export const MAX_ATTEMPTS = 3

export type Applied = 'applied' | 'duplicate' | 'deadLettered'

/**
 * Applies other services' events to this one's state exactly once: duplicates are recognised by
 * the inbox, and the change, the saga events it triggers and the inbox mark are one write. An event
 * that still fails after MAX_ATTEMPTS is recorded as a dead letter (and marked applied) so it
 * cannot block everything behind it.
 */
export class EventConsumer<S> {
  readonly counters = {duplicates: 0, deadLetters: 0}

  constructor(
    private readonly def: ServiceDefinition<S>,
    private readonly store: ServiceStore<S>,
    private readonly log: Log,
    /** called when a saga step added events to the outbox */
    private readonly onReactions: () => void,
  ) {}

  async apply(event: Envelope): Promise<Applied> {
    if (event.source === this.def.name || this.store.hasApplied(event.source, event.seq)) {
      this.counters.duplicates++
      return 'duplicate'
    }
    const applied = {source: event.source, seq: event.seq}
    let lastError: Error | undefined
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        const state = this.def.evolve(this.store.state, event)
        const reactions = stamp(
          this.def.name as ServiceName,
          this.def.react?.(state, event) ?? [],
          {correlationId: event.correlationId, causationId: event.id},
          this.store.lastSeq,
        )
        await this.store.commit({state: reactions.reduce(this.def.evolve, state), events: reactions, applied})
        if (reactions.length > 0) this.onReactions()
        return 'applied'
      } catch (error) {
        lastError = error as Error
        this.log.warn(`applying ${event.type} ${event.id} failed (attempt ${attempt} of ${MAX_ATTEMPTS}): ${lastError.message}`)
        if (attempt < MAX_ATTEMPTS) await sleep(10 * attempt)
      }
    }
    // a failure here (the disk is gone) escapes: the daemon dies unacknowledged and the broker redelivers
    await this.store.commit({
      state: this.store.state,
      applied,
      deadLetter: {event, error: lastError?.message ?? 'unknown', attempts: MAX_ATTEMPTS, at: new Date().toISOString()},
    })
    this.counters.deadLetters++
    this.log.error(`dead-lettered ${event.type} ${event.id} from ${event.source}: ${lastError?.message}`)
    return 'deadLettered'
  }
}
