import {z} from 'zod'

import {no} from './fields.js'
import {collectionOf} from './records.js'

/**
 * What the gateway's own routes answer (events, probes, the operator's /stack routes), as
 * /openapi.json documents them and `gdmarket status --json` prints them (docs/commands.md).
 * The supervisor makes these answers; the conformance test checks them against these schemas.
 */
export const eventShape = z.looseObject({
  id: z.string(),
  type: z.string(),
  source: z.enum(['item', 'reservation', 'payment']),
  time: z.string(),
  correlationId: z.string(),
  causationId: z.string().nullable(),
  seq: no,
  data: z.looseObject({}),
})

const processShape = z.looseObject({
  name: z.string(),
  state: z.enum(['online', 'offline', 'restarting', 'errored', 'stopped']),
  pid: z.number().int().nullable(),
  uptimeMs: z.number().int().min(0),
  restarts: z.number().int().min(0),
})

export const processesShape = z.array(processShape)

export const statusShape = z.looseObject({
  port: z.number().int(),
  gateway: z.looseObject({httpPort: z.number().int(), address: z.string(), socket: z.string().nullable()}),
  processes: processesShape,
  breakers: z.array(z.looseObject({name: z.string(), state: z.enum(['closed', 'open', 'halfOpen'])})),
  deadLetters: z.array(z.looseObject({service: z.string(), eventId: z.string(), type: z.string(), error: z.string()})),
})

const seqRange = z.object({from: no, to: no, count: no})

/** POST /stack/stores/{name}/recover: what `store recover` rebuilt (null: the service was online) */
export const recoveryShape = z.looseObject({
  report: z
    .looseObject({
      service: z.string(),
      recovered: seqRange.nullable(),
      from: z.record(z.string(), z.number().int()),
      interleaved: z.record(z.string(), z.number().int()),
      reactions: z.number().int().min(0),
      missing: seqRange.extend({knownBy: z.array(z.string())}).nullable(),
      blocked: seqRange.nullable(),
      notAsked: z.array(z.object({name: z.string(), why: z.string()})),
    })
    .nullable(),
  processes: processesShape,
})

/**
 * Every error: what went wrong, about the thing; where there is one, the next step as data, and
 * the HTTP request that takes it (docs/architecture.md#refusals-are-data).
 */
export const errorShape = z.looseObject({
  error: z.object({
    code: z.string(),
    message: z.string(),
    next: z.looseObject({command: z.string()}).optional(),
    nextRequest: z.object({method: z.enum(['GET', 'POST', 'PATCH', 'DELETE']), path: z.string(), body: z.looseObject({}).optional()}).optional(),
  }),
})

export const upShape = z.looseObject({status: z.literal('UP')})


/** GET /events: the history, and the services whose events are left out, with why */
export const eventsShape = collectionOf('events', eventShape).extend({leftOut: z.array(z.object({source: z.string(), message: z.string()}))})
