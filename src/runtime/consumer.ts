import type {Envelope} from '../bus/events.js'
import type {ServiceName} from '../bus/topics.js'
import type {ServiceStore} from '../store/serviceStore.js'
import type {Log} from './log.js'
import {stamp, type ServiceDefinition} from './service.js'

export type Applied = 'applied' | 'duplicate' | 'held' | 'deadLettered'

/**
 * Applies other services' events to this one's state exactly once and, per source, in `seq`
 * order. The broker can hand over events out of order (a restarted session replays its queue
 * while new messages already flow), so an event that comes early is stored and acknowledged, and
 * applied once the events before it are in (see `gaps()` for how a gap that stays is filled).
 * Duplicates are recognised by the inbox; the change, the saga events it triggers and the inbox
 * mark are one write. An event that cannot be applied is recorded as a dead letter at once
 * (and counted as applied) so it cannot block everything behind it.
 *
 * `apply` resolves once the event is applied in memory and its write is queued, not once it is on
 * disk: events that come meanwhile share the next group write (one fdatasync for many). Losing
 * the newest writes to a crash loses nothing: the producers keep every event, and a daemon
 * catches up from them at every start (src/runtime/repair.ts). What leaves this service — a
 * reply, a saga event — is sent only after it is on disk, and so after everything applied before it.
 */
export class EventConsumer<S> {
  readonly counters = {duplicates: 0, deadLetters: 0}
  /** events applied from an answer whose copy from the broker may still come */
  private readonly fetchedFirst = new FetchedFirst()
  /** when each source's oldest held event was first held (in memory: only for the repair timer) */
  private readonly heldSince = new Map<string, number>()

  constructor(
    private readonly def: ServiceDefinition<S>,
    private readonly store: ServiceStore<S>,
    private readonly log: Log,
    /** called when a saga step added events to the outbox */
    private readonly onReactions: () => void,
    /** a write failed: the disk is gone, nothing may be acknowledged any more (the daemon refuses and exits) */
    private readonly onWriteFailed: (error: Error) => unknown = () => {},
  ) {}

  private write(commit: Parameters<ServiceStore<S>['commit']>[0]): void {
    this.store.commit(commit).catch((error: Error) => void this.onWriteFailed(error))
  }

  /**
   * `fetched`: it came in an answer (a catch-up page, a saga's reply), not from the broker. Such
   * a page overlaps what was delivered by design, so an event already here is not counted as a
   * redelivery.
   */
  async apply(event: Envelope, fetched = false): Promise<Applied> {
    const {source, seq} = event
    if (source === this.def.name || this.store.hasApplied(source, seq) || this.store.held(source).some((e) => e.seq === seq)) {
      // the broker's copy of an event that came first in an answer is no redelivery
      if (!fetched && !this.fetchedFirst.take(source, seq)) this.counters.duplicates++
      return 'duplicate'
    }
    if (fetched) this.fetchedFirst.add(source, seq)
    if (seq > this.store.appliedUpTo(source) + 1) {
      this.log.info(`holding ${event.type} ${source}#${seq}: waiting for ${source}#${this.store.appliedUpTo(source) + 1}`)
      this.write({state: this.store.state, hold: event})
      if (!this.heldSince.has(source)) this.heldSince.set(source, Date.now())
      return 'held'
    }
    const outcome = await this.applyNext(event)
    // the gap may be closed now: apply what was waiting behind it
    for (let next = this.store.held(source)[0]; next?.seq === this.store.appliedUpTo(source) + 1; next = this.store.held(source)[0]) {
      await this.applyNext(next)
    }
    if (this.store.held(source).length === 0) this.heldSince.delete(source)
    return outcome
  }

  /** Sources whose next events are missing for longer than `ms`, with the seqs to fetch: (after, before). */
  gaps(ms: number): {source: string; afterSeq: number; beforeSeq: number}[] {
    const now = Date.now()
    return this.store.sourcesWithGaps
      .filter((source) => now - (this.heldSince.get(source) ?? (this.heldSince.set(source, now), now)) >= ms)
      .map((source) => ({source, afterSeq: this.store.appliedUpTo(source), beforeSeq: this.store.held(source)[0].seq}))
  }

  /**
   * Lets go of every event held for `source`: its producer, asked for what comes before them, has
   * no such events, so they cannot be its own (forged, or from a store since lost). Without this, a
   * seq far ahead would hold the source's next events back for good and be asked about forever.
   */
  release(source: string, why: string): void {
    const held = this.store.held(source)
    if (held.length === 0) return
    this.log.error(`let go of ${held.length} held ${source} event(s) (seq ${held[0].seq}${held.length > 1 ? `–${held.at(-1)!.seq}` : ''}): ${why}`)
    this.write({state: this.store.state, unhold: source})
    this.heldSince.delete(source)
  }

  /**
   * Applies one event and the saga steps it causes, in one write. `evolve` and `react` are
   * deterministic: one that throws throws again, so it is not retried but dead-lettered at once
   * (counted as applied, so it cannot block the events behind it).
   */
  private async applyNext(event: Envelope): Promise<Applied> {
    try {
      const state = this.def.evolve(this.store.state, event)
      const reactions = stamp(
        this.def.name as ServiceName,
        this.def.react?.(state, event) ?? [],
        {correlationId: event.correlationId, causationId: event.id},
        this.store.lastSeq,
      )
      this.write({state: reactions.reduce(this.def.evolve, state), events: reactions, incoming: event})
      if (reactions.length > 0) this.onReactions()
      return 'applied'
    } catch (error) {
      const why = (error as Error)?.message ?? String(error)
      this.write({state: this.store.state, deadLetter: {event, error: why, attempts: 1, at: new Date().toISOString()}})
      this.counters.deadLetters++
      this.log.error(`dead-lettered ${event.type} ${event.id} from ${event.source}: ${why}`)
      return 'deadLettered'
    }
  }

}

/**
 * The seqs of events applied from an answer (a saga's reply, a repair page), kept until their
 * broker copy comes: at most LIMIT per source, the oldest forgotten first (a copy that never comes,
 * because the session was lost, must not make this grow).
 */
class FetchedFirst {
  static readonly LIMIT = 1000
  private readonly bySource = new Map<string, Set<number>>()

  add(source: string, seq: number): void {
    const seqs = this.bySource.get(source) ?? new Set<number>()
    this.bySource.set(source, seqs)
    seqs.add(seq)
    if (seqs.size > FetchedFirst.LIMIT) seqs.delete(seqs.values().next().value!)
  }

  /** whether it was fetched first; it is forgotten then */
  take(source: string, seq: number): boolean {
    return this.bySource.get(source)?.delete(seq) ?? false
  }
}
