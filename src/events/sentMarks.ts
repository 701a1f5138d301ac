import type {Envelope} from '../bus/events.js'

/**
 * How far out of order a source's events may reach a follower and still be told from duplicates:
 * the outbox relay has at most 1000 of a source's events in flight at once (MAX_BATCH in
 * src/runtime/relay.ts), so two of them never cross by more than that.
 */
export const REORDER_WINDOW = 1000

interface Mark {
  /** every seq at or below it counts as sent */
  floor: number
  /** the seqs sent above the floor; pruned when it holds twice the window */
  above: Set<number>
}

/**
 * Which events of each source a stream has sent, in memory that does not grow with the stream's
 * life (docs/http-api.md, "Events and server-sent events"): per source, a high-water mark that
 * trails the highest seq sent by REORDER_WINDOW, and the seqs sent above it. An event at or
 * below the mark, or among those, is a duplicate (a history that overlaps the live events, a
 * publish the relay repeated after a reconnect).
 */
export class SentMarks {
  private readonly bySource = new Map<string, Mark>()

  /** Whether the event is new to this stream; if it is, it counts as sent from now on. */
  fresh(event: Pick<Envelope, 'source' | 'seq'>): boolean {
    const mark = this.of(event.source)
    if (event.seq <= mark.floor || mark.above.has(event.seq)) return false
    mark.above.add(event.seq)
    mark.floor = Math.max(mark.floor, event.seq - REORDER_WINDOW)
    // pruned in one sweep now and then rather than at every event: the floor already answers for what is below it
    if (mark.above.size > 2 * REORDER_WINDOW) for (const seq of mark.above) if (seq <= mark.floor) mark.above.delete(seq)
    return true
  }

  /** Everything of `source` up to `seq` counts as sent: what a history covered, cut by `limit` or not. */
  coveredUpTo(source: string, seq: number): void {
    const mark = this.of(source)
    if (seq <= mark.floor) return
    mark.floor = seq
    for (const sent of mark.above) if (sent <= seq) mark.above.delete(sent)
  }

  /** How many seqs are remembered: bounded by the sources times twice the window. */
  get size(): number {
    let size = 0
    for (const mark of this.bySource.values()) size += mark.above.size
    return size
  }

  private of(source: string): Mark {
    let mark = this.bySource.get(source)
    if (!mark) this.bySource.set(source, (mark = {floor: 0, above: new Set()}))
    return mark
  }
}
