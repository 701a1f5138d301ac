import type {Envelope} from '../bus/events.js'
import type {ServiceStore} from '../store/serviceStore.js'
import type {Log} from './log.js'

/**
 * The outbox relay: publishes stored events in seq order, one at a time so the broker sees them
 * in order, until each is acknowledged (QoS 1). mqtt.js keeps unacknowledged publishes across
 * reconnects, so a publish resolves once the broker has it, however long that takes.
 */
export class OutboxRelay {
  private draining = false
  private waiters: {seq: number; resolve: () => void}[] = []

  constructor(
    private readonly store: ServiceStore<unknown>,
    private readonly publish: (event: Envelope) => Promise<unknown>,
    private readonly log: Log,
  ) {}

  kick(): void {
    if (!this.draining) void this.drain()
  }

  /** Resolves once every event up to `seq` has been acknowledged by the broker. */
  published(seq: number): Promise<void> {
    if (this.store.publishedSeq >= seq) return Promise.resolve()
    const done = new Promise<void>((resolve) => this.waiters.push({seq, resolve}))
    this.kick()
    return done
  }

  private async drain(): Promise<void> {
    this.draining = true
    try {
      for (let batch = this.store.unpublished(); batch.length > 0; batch = this.store.unpublished()) {
        for (const event of batch) {
          await this.publish(event)
          this.store.markPublished(event.seq)
          this.wake()
        }
      }
    } catch (error) {
      // the client was closed (we are stopping): what is left stays in the outbox for next start
      this.log.warn(`outbox relay stopped: ${(error as Error).message}`)
    } finally {
      this.draining = false
    }
  }

  private wake(): void {
    const reached = this.store.publishedSeq
    this.waiters = this.waiters.filter((w) => (w.seq <= reached ? (w.resolve(), false) : true))
  }
}
