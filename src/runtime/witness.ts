import {z} from 'zod'

import type {ServiceStore} from '../store/serviceStore.js'
import {parseBody, type RequestHandler} from './service.js'

/**
 * What a daemon answers about another service's events it applied (docs/guarantees.md, "a store
 * behind its followers"): `seen`, its inbox position, asked by that service at every start; and
 * `witness`, the events it still holds whole, asked by `store recover`. Both come only from the
 * service the events are of (src/bus/walls.ts), and neither waits for the frontier.
 */
/** Events in one `witness` answer: replies are not bounded by the broker, but a page keeps each small. */
export const WITNESS_PAGE = 1000

export const seenQuery = z.object({source: z.string().min(1)})
export const witnessQuery = z.object({source: z.string().min(1), afterSeq: z.number().int().min(0), limit: z.number().int().positive().max(WITNESS_PAGE)})

/** The answer to `seen`, checked where it arrives. */
export const seenMark = z.object({
  upTo: z.number().int().min(0),
  above: z.array(z.number().int().positive()),
  held: z.array(z.number().int().positive()),
})

export const witnessHandlers = <S>(store: ServiceStore<S>): Record<'seen' | 'witness', RequestHandler> => ({
  seen: async (body) => store.seenOf(parseBody(seenQuery, body).source),
  witness: async (body) => {
    const {source, afterSeq, limit} = parseBody(witnessQuery, body)
    return store.witnessed(source, afterSeq, limit)
  },
})
