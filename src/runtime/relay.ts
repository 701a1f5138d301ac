import type {Envelope} from '../bus/events.js'
import type {ServiceStore} from '../store/serviceStore.js'
import type {Log} from './log.js'

const MAX_BATCH = 1000
/** How soon a publish the broker refused is tried again: its ACL may be mended meanwhile (docs/deploy.md). */
export const REFUSED_RETRY_MS = 1000

/** The broker said no (an MQTT 5 reason code, e.g. 0x87 Not authorized), rather than the connection ending. */
const isRefusal = (error: unknown) => typeof (error as {code?: unknown}).code === 'number' && ((error as {code: number}).code & 0x80) !== 0

/**
 * The outbox relay: publishes stored events in seq order until each is acknowledged (QoS 1).
 * Whatever waits in the outbox goes out at once, in order on the one connection, and counts as
 * published when all of it is acknowledged: under load a service's events no longer queue one
 * broker round trip each behind each other (a consumer that still sees two out of order holds the
 * later one until the earlier comes). mqtt.js keeps unacknowledged publishes across reconnects,
 * so a publish resolves once the broker has it, however long that takes. A publish the broker
 * refuses (MQTT 5) is not published: it stays in the outbox, its command gets no reply, and it is
 * tried again until the broker takes it. (Under MQTT 3.1.1 Mosquitto acknowledges a refused publish
 * and drops it; the stack speaks MQTT 5 to an external broker for that reason.)
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
      for (let batch = this.nextBatch(); batch.length > 0; batch = this.nextBatch()) {
        await Promise.all(batch.map((event) => this.publish(event)))
        this.store.markPublished(batch.at(-1)!.seq)
        this.wake()
      }
    } catch (error) {
      if (isRefusal(error)) {
        this.log.error(`the broker refused an event (${(error as Error).message}): it stays in the outbox and is tried again in ${REFUSED_RETRY_MS} ms; is the broker's ACL the one the broker config command wrote (docs/deploy.md)?`)
        setTimeout(() => this.kick(), REFUSED_RETRY_MS).unref()
      } else {
        // the client was closed (we are stopping): what is left stays in the outbox for next start
        this.log.warn(`outbox relay stopped: ${(error as Error).message}`)
      }
    } finally {
      this.draining = false
    }
  }

  /** At most MAX_BATCH: mqtt.js numbers publishes in flight with 16-bit ids it does not check for reuse. */
  private nextBatch(): Envelope[] {
    return this.store.unpublished().slice(0, MAX_BATCH)
  }

  private wake(): void {
    const reached = this.store.publishedSeq
    this.waiters = this.waiters.filter((w) => (w.seq <= reached ? (w.resolve(), false) : true))
  }
}
