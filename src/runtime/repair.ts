import {parseEnvelope, type Envelope} from '../bus/events.js'
import type {ServiceStore} from '../store/serviceStore.js'
import type {EventConsumer} from './consumer.js'
import type {Log} from './log.js'

/** How long a consumer waits for a missing event before it asks the producer for it. */
export const GAP_WAIT_MS = 1000

/** Events asked for in one `history` request while catching up. */
export const CATCH_UP_PAGE = 1000

export interface RepairDeps {
  consumer: EventConsumer<unknown>
  store: ServiceStore<unknown>
  log: Log
  /** the producer's `history` request: its events with afterSeq < seq < beforeSeq */
  fetch(source: string, afterSeq: number, beforeSeq: number): Promise<unknown>
  /** applies fetched events in the daemon's mailbox (one at a time with everything else) */
  apply(events: Envelope[], from: string): Promise<void>
  /** lets go, in the mailbox, of a source's held events that its producer does not have */
  release(source: string, why: string): Promise<void>
  /** whether a source is online now: one that is not cannot answer, and is asked later */
  isOnline(source: string): boolean
}

/**
 * Fetches from the producers what the broker did not bring. Every service keeps every event it
 * made and answers `history` for them, so two situations are repaired from there:
 * - a gap: a source's later events came but an earlier one has not, for GAP_WAIT_MS (lost with a
 *   broker that went down, or published before we ever subscribed);
 * - no session: the broker had no session for us (the first start, or a broker restarted since —
 *   it keeps sessions in memory), so what a source published meanwhile reaches us only from its
 *   store. Then every followed source is read from our inbox position on, page by page, until
 *   nothing newer is left.
 * Fetched events go through the consumer like delivered ones: the inbox drops what came twice.
 */
export class Repair {
  private readonly behind = new Set<string>()
  private readonly busy = new Set<string>()

  constructor(private readonly deps: RepairDeps) {}

  /** The broker had no session for us: catch up with these sources once they answer. */
  catchUp(sources: readonly string[]): void {
    for (const source of sources) this.behind.add(source)
  }

  /**
   * One round: each source that has a gap or is behind, and is not being asked already, is asked
   * once. Resolves when this round's answers are applied (or given up on until the next round).
   */
  async tick(): Promise<void> {
    const {consumer, store} = this.deps
    const asked: Promise<void>[] = []
    for (const {source, afterSeq, beforeSeq} of consumer.gaps(GAP_WAIT_MS)) {
      if (!this.deps.isOnline(source)) continue
      // a page at a time, however far ahead the held event claims to be
      const before = Math.min(beforeSeq, afterSeq + CATCH_UP_PAGE + 1)
      // the producer keeps every seq it gave out: if it sent fewer than asked, the rest never existed
      const short = (count: number) =>
        count < before - afterSeq - 1 &&
        this.deps.release(source, `${source} has no events after seq ${afterSeq + count}, so these are not its own`)
      asked.push(this.ask(source, afterSeq, before, `filling a gap in ${source} events after seq ${afterSeq}`, short))
    }
    for (const source of this.behind) {
      if (!this.deps.isOnline(source)) continue
      const after = store.appliedUpTo(source)
      const page = (count: number) => count < CATCH_UP_PAGE && this.behind.delete(source)
      asked.push(this.ask(source, after, after + CATCH_UP_PAGE + 1, `catching up with ${source} after seq ${after}`, page))
    }
    await Promise.all(asked)
  }

  private async ask(source: string, afterSeq: number, beforeSeq: number, what: string, done?: (count: number) => unknown): Promise<void> {
    if (this.busy.has(source)) return
    this.busy.add(source)
    const {log} = this.deps
    await this.deps
      .fetch(source, afterSeq, beforeSeq)
      .then(async (answer) => {
        const events = (Array.isArray(answer) ? answer : []).flatMap((raw) => {
          const parsed = parseEnvelope(raw)
          return parsed.ok && parsed.envelope.source === source ? [parsed.envelope] : []
        })
        if (events.length > 0) log.info(`${what}: ${events.length} fetched`)
        await this.deps.apply(events, source)
        await done?.(events.length)
      })
      .catch((error: Error) => log.warn(`${what}: not yet (${error.message})`))
      .finally(() => this.busy.delete(source))
  }
}
