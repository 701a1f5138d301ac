import {z} from 'zod'

/**
 * What the gateway answers, as /openapi.json documents it (the --json shapes of docs/commands.md).
 * Only documentation and the conformance test read these: the services' replies are checked where
 * they are made.
 */
const no = z.number().int().positive()
const itemStatus = z.enum(['Rentable', 'NotRentable'])
const rentalStatus = z.enum(['NotRenting', 'Renting', 'Returned'])

export const itemShape = z.looseObject({
  itemNo: no,
  itemName: z.string(),
  itemPrice: no,
  itemStatus,
  rentalStatus,
  reservationNo: no.nullable(),
})

export const deletedItemShape = itemShape.extend({deleted: z.literal(true)})

export const paymentShape = z.looseObject({
  paymentNo: no,
  reservationNo: no,
  itemNo: no,
  amount: no,
  paymentStatus: z.enum(['Paid', 'Cancelled']),
})

export const reservationShape = z.looseObject({
  reservationNo: no,
  itemNo: no,
  itemName: z.string(),
  itemPrice: no,
  customerName: z.string(),
  customerId: z.string(),
  reservationStatus: z.enum(['Reserved', 'Cancelled', 'Completed']),
  paymentStatus: z.enum(['NotPaid', 'Paid']),
  rentalStatus,
  correlationId: z.string(),
})

export const reservationWithPaymentShape = reservationShape.extend({payment: paymentShape.optional()})

/** a row of the combined view: the item, with its reservation's renter and payment */
export const viewRowShape = itemShape.extend({
  customerName: z.string().nullable(),
  customerId: z.string().nullable(),
  paymentStatus: z.enum(['NotPaid', 'Paid']).nullable(),
})

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

export const errorShape = z.looseObject({error: z.object({code: z.string(), message: z.string()})})

export const upShape = z.looseObject({status: z.literal('UP')})

export const collectionOf = (name: string, item: z.ZodType) => z.looseObject({_embedded: z.object({[name]: z.array(item)})})

/** GET /events: the history, and the services whose events are left out, with why */
export const eventsShape = collectionOf('events', eventShape).extend({leftOut: z.array(z.object({source: z.string(), message: z.string()}))})
