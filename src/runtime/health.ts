import {z} from 'zod'

import {GdError} from '../errors.js'
import type {Frontier} from './barrier.js'
import type {BreakerSummary, RequestHandler} from './service.js'
import {parseBody} from './service.js'

/**
 * The runtime's `health` request (docs/deploy.md#probes-and-metrics), asked by the gateway: with
 * its frontier for /readyz (has this service applied every event the broker accepted before?),
 * without one for /metrics. Like `history`, every daemon answers it, and it changes nothing.
 */
export const healthQuery = z.object({
  /** how long to wait for the frontier before answering `caughtUp: false`: a probe wants an answer soon */
  waitMs: z.number().int().min(0).max(5000).optional(),
})

const breakerShape = z.object({
  name: z.string(),
  service: z.string(),
  state: z.enum(['closed', 'open', 'halfOpen']),
  opens: z.number(),
})

/** The answer, checked where it arrives (the gateway trusts no reply). */
export const healthAnswer = z.object({
  service: z.string(),
  pid: z.number().int(),
  uptimeMs: z.number(),
  /** the last seq of its own events: how many it produced */
  seq: z.number().int().min(0),
  /** per followed source, up to which seq it applied everything: how many of its events it applied */
  applied: z.record(z.string(), z.number().int().min(0)),
  caughtUp: z.boolean(),
  /** the followed sources whose frontier it has not applied yet */
  behind: z.array(z.string()),
  ignored: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  deadLetters: z.number().int().min(0),
  breakers: z.array(breakerShape.loose()),
  /** requests it took since it started, `health` left out */
  requests: z.number().int().min(0).default(0),
})
export type HealthAnswer = z.infer<typeof healthAnswer>

export interface HealthDeps {
  service: string
  sources: readonly string[]
  startedAt: number
  lastSeq(): number
  appliedUpTo(source: string): number
  /** the barrier: resolves once the frontier is applied, rejects (CATCHING_UP) after waitMs */
  caughtUp(frontier: Frontier | undefined, waitMs: number): Promise<void>
  counters(): {ignored: number; duplicates: number; deadLetters: number; breakers: BreakerSummary[]; requests: number}
}

export const healthHandler =
  (deps: HealthDeps): RequestHandler =>
  async (body, request) => {
    const {waitMs = 0} = parseBody(healthQuery, body)
    let caughtUp = true
    try {
      await deps.caughtUp(request.after, waitMs)
    } catch (error) {
      if (!(error instanceof GdError) || error.code !== 'CATCHING_UP') throw error
      caughtUp = false
    }
    const applied = Object.fromEntries(deps.sources.map((source) => [source, deps.appliedUpTo(source)]))
    const behind = deps.sources.filter((source) => (request.after?.[source] ?? 0) > applied[source])
    return {
      service: deps.service,
      pid: process.pid,
      uptimeMs: Date.now() - deps.startedAt,
      seq: deps.lastSeq(),
      applied,
      caughtUp: caughtUp && behind.length === 0,
      behind,
      ...deps.counters(),
    } satisfies Omit<HealthAnswer, 'breakers'> & {breakers: BreakerSummary[]}
  }
