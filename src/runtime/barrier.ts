/**
 * How long the causal barrier waits for a source's answer, and then at most for its events (a
 * source that is down is not waited for).
 */
export const BARRIER_MS = 1000

export interface BarrierDeps {
  /** the services whose events this one applies */
  sources: readonly string[]
  isOnline(source: string): boolean
  appliedUpTo(source: string): number
  /** the source's `position`: the last seq of its events the broker has acknowledged (what a reply can have confirmed), if it answers */
  askPosition(source: string): Promise<number | undefined>
}

/**
 * Read-your-writes across services. aedes 1.x acknowledges a publish before it has delivered it,
 * and a resumed session's replay mixes with new messages, so a request can reach us before an
 * event its caller already saw confirmed (`reserve` right after `item register`). A request
 * therefore first asks the services we follow how far their events go, and waits until we have
 * applied that much. A source that is not online has nothing new to wait for and is skipped.
 *
 * Requests that come while a question to a source is out share the next one: an answer counts
 * for a request only if the question was asked after the request came (an earlier question may
 * predate the event its caller saw). Under load that is two questions per source a round trip
 * instead of one per request.
 */
export class CausalBarrier {
  private readonly waiters: {source: string; seq: number; resolve: () => void}[] = []
  private readonly probes = new Map<string, PositionProbe>()

  constructor(private readonly deps: BarrierDeps) {
    for (const source of deps.sources) this.probes.set(source, new PositionProbe(() => deps.askPosition(source)))
  }

  /** Resolves once every event each followed source had made when asked is applied here. */
  async caughtUp(): Promise<void> {
    const {sources, isOnline, appliedUpTo} = this.deps
    await Promise.all(
      sources.filter(isOnline).map(async (source) => {
        const lastSeq = await this.probes.get(source)!.ask()
        if (lastSeq === undefined || appliedUpTo(source) >= lastSeq) return
        // the repair fetches what does not come by itself; the bound keeps a request alive
        await new Promise<void>((resolve) => {
          const waiter = {source, seq: lastSeq, resolve: () => (clearTimeout(timer), resolve())}
          const timer = setTimeout(() => {
            this.waiters.splice(this.waiters.indexOf(waiter), 1)
            resolve()
          }, BARRIER_MS)
          this.waiters.push(waiter)
        })
      }),
    )
  }

  /** Call after applying events: releases the requests that waited for them. */
  wake(): void {
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const w = this.waiters[i]
      if (this.deps.appliedUpTo(w.source) >= w.seq) {
        this.waiters.splice(i, 1)
        w.resolve()
      }
    }
  }
}

/** One source's position, asked at most once at a time; callers meanwhile share the next question. */
export class PositionProbe {
  private out: Promise<number | undefined> | null = null
  private next: Promise<number | undefined> | null = null

  constructor(private readonly question: () => Promise<number | undefined>) {}

  /** A position asked no earlier than this call. */
  ask(): Promise<number | undefined> {
    if (!this.out) return this.send()
    this.next ??= this.out.then(() => {
      this.next = null
      return this.send()
    })
    return this.next
  }

  private send(): Promise<number | undefined> {
    const sent: Promise<number | undefined> = this.question()
      .catch(() => undefined)
      .finally(() => {
        if (this.out === sent) this.out = null
      })
    this.out = sent
    return sent
  }
}
