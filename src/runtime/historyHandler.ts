import {z} from 'zod'

import type {ServiceStore} from '../store/serviceStore.js'
import {parseBody, type RequestHandler, type ServiceContext} from './service.js'

const historyQuery = z.object({
  type: z.string().optional(),
  correlationId: z.string().optional(),
  /** only events with afterSeq < seq < beforeSeq: how a consumer fills a gap */
  afterSeq: z.number().int().min(0).optional(),
  beforeSeq: z.number().int().positive().optional(),
  limit: z.number().int().positive().optional(),
})

/**
 * Every service answers for the events it produced: the history behind the events command and
 * `trace`, and the pages a consumer that missed events repairs its gap from.
 */
export const historyHandler =
  <S>(store: ServiceStore<S>, read: ServiceContext<S>['read']): RequestHandler =>
  async (body) => {
    const {type, correlationId, afterSeq = 0, beforeSeq = Infinity, limit} = parseBody(historyQuery, body)
    // only what is on disk: an event not yet written could be lost to a crash and its seq reused
    const durableSeq = store.durableSeq
    const events = await read(() =>
      store.events.filter(
        (e) =>
          e.seq > afterSeq &&
          e.seq < beforeSeq &&
          e.seq <= durableSeq &&
          (!type || e.type === type) &&
          (!correlationId || e.correlationId === correlationId),
      ),
    )
    return limit === undefined ? events : events.slice(-limit)
  }
