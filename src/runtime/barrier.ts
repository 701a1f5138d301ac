import {unavailable} from '../errors.js'

/**
 * How long a request waits at least for the events its frontier names (longer when its caller
 * waits longer: half of what is left). They come: every event in the frontier was accepted by the
 * broker, so it waits in this service's session, or it is repaired from its producer. A request
 * whose frontier is still not applied then is refused (503 CATCHING_UP), never decided or
 * answered on older facts: a restarted item service once deleted an item whose rental had begun.
 */
export const BARRIER_MS = 1000

export interface BarrierDeps {
  service: string
  /** the services whose events this one applies */
  sources: readonly string[]
  appliedUpTo(source: string): number
}

/** The highest seq per source that the broker had accepted when a request entered the gateway. */
export type Frontier = Record<string, number>

/**
 * Read-your-writes across services. The gateway sits beside the broker and sees every event it
 * accepts, before the producer is acknowledged (and so before the producer can reply to anyone).
 * It stamps each request with that frontier; here a request waits until this service has applied
 * that much of each source it follows. No question to the sources is needed: an answer then
 * includes every change acknowledged to anyone before the request came in (docs/architecture.md).
 */
export class CausalBarrier {
  private readonly waiters: {source: string; seq: number; resolve: () => void}[] = []

  constructor(private readonly deps: BarrierDeps) {}

  /**
   * Resolves once every followed source's events up to the frontier are applied here; rejects
   * with 503 CATCHING_UP after `waitMs` if they are not.
   */
  async caughtUp(frontier: Frontier | undefined, waitMs = BARRIER_MS): Promise<void> {
    if (!frontier) return
    const {sources, appliedUpTo} = this.deps
    // whether a source is online does not matter: what it published before it went is on its way
    const behind = sources.filter((source) => (frontier[source] ?? 0) > appliedUpTo(source))
    const reached = await Promise.all(behind.map((source) => this.until(source, frontier[source], waitMs)))
    const late = behind.filter((_source, i) => !reached[i])
    if (late.length > 0) {
      throw unavailable(
        'CATCHING_UP',
        `the ${this.deps.service} service has not yet applied ${late.join(' and ')}'s latest events (it is starting or catching up); nothing was done; try again in a moment`,
      )
    }
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

  /** whether `source` is applied up to `seq` within `waitMs` (the repair fetches what does not come by itself) */
  private until(source: string, seq: number, waitMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const waiter = {source, seq, resolve: () => (clearTimeout(timer), resolve(true))}
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1)
        resolve(false)
      }, waitMs)
      this.waiters.push(waiter)
    })
  }
}
