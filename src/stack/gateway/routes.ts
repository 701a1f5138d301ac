import {z} from 'zod'

import {eventTypes} from '../../bus/events.js'
import {daemons, services, type DaemonName} from '../../bus/topics.js'
import {badInput, unavailable} from '../../errors.js'
import type {GatewayDeps} from './deps.js'
import {claimsOf, itemPatchBody, newItemBody, newReservationBody, reservationPatchBody} from './bodies.js'
import type {EventStream} from './eventStream.js'
import {followEvents} from './follow.js'
import {
  collectionOf,
  deletedItemShape,
  eventsShape,
  itemShape,
  paymentShape,
  processesShape,
  recoveryShape,
  reservationShape,
  reservationWithPaymentShape,
  statusShape,
  upShape,
  viewRowShape,
} from './shapes.js'

export interface RouteInput {
  params: Record<string, string>
  query: URLSearchParams
  body: unknown
  /** turns the response into a stream of server-sent events */
  stream(): EventStream
}

/** A route's answer: the body (201 for a creation), or a status of its own. */
export interface Answer {
  status: number
  body: unknown
  headers?: Record<string, string>
}

export interface Route {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  /** `{name}` marks a path parameter */
  path: string
  summary: string
  /** the request body's schema, for checking and for /openapi.json */
  body?: z.ZodType
  /** documented query parameters */
  query?: Record<string, string>
  /** the status of a success, and what its body is */
  success: {status: number; description: string; shape: z.ZodType}
  handle(input: RouteInput): Promise<Answer | undefined>
}

const number = (input: RouteInput, name: string): number => {
  const raw = input.params[name]
  if (!/^[1-9]\d{0,14}$/.test(raw)) throw badInput(`${name} must be a positive whole number, not "${raw}"`)
  return Number(raw)
}

/** Spring Data REST's collection shape, which the original's clients read. */
const embedded = (name: string, list: unknown) => ({_embedded: {[name]: list}})

const parse = <T extends z.ZodType>(schema: T, body: unknown): z.infer<T> => {
  const parsed = schema.safeParse(body ?? {})
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const field = issue.path.join('.')
  const what =
    issue.code === 'unrecognized_keys'
      ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`
      : `${field ? `${field}: ` : ''}${issue.message}`
  throw badInput(`invalid request body: ${what} (see /openapi.json)`)
}

const flag = (query: URLSearchParams, name: string): boolean => {
  const value = query.get(name)
  if (value === null || value === 'false') return false
  if (value === 'true') return true
  throw badInput(`${name} must be true or false, not "${value}"`)
}

const many = (query: URLSearchParams, name: string, allowed: readonly string[]): string[] | undefined => {
  const values = query.getAll(name).flatMap((v) => v.split(','))
  const bad = values.find((v) => !allowed.includes(v))
  if (bad !== undefined) throw badInput(`${name} "${bad}" is not one of ${allowed.join(', ')}`)
  return values.length > 0 ? values : undefined
}

const ok = (body: unknown, status = 200): Answer => ({status, body})

/** Every route of the gateway; /openapi.json is made from this table. */
/** Every route of the gateway: the original's market paths, then events, probes and the operator's. */
export function gatewayRoutes(deps: GatewayDeps): Route[] {
  return [...itemRoutes(deps), ...reservationRoutes(deps), ...readRoutes(deps), ...eventAndProbeRoutes(deps), ...stackRoutes(deps)]
}

const item = (input: RouteInput) => ({itemNo: number(input, 'itemNo')})
const reservation = (input: RouteInput) => ({reservationNo: number(input, 'reservationNo')})

/** /items: register, list, show, lend and return, delete (the item service) */
function itemRoutes({call}: GatewayDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/items',
      summary: 'Register an item (new items are Rentable and NotRenting)',
      body: newItemBody,
      success: {status: 201, description: 'the item', shape: itemShape},
      async handle(input) {
        const body = parse(newItemBody, input.body)
        return ok(await call('item', 'register', {itemName: body.itemName, itemPrice: body.itemPrice, claims: claimsOf(body, ['itemName', 'itemPrice'])}), 201)
      },
    },
    {
      method: 'GET',
      path: '/items',
      summary: 'Every item',
      success: {status: 200, description: 'the items', shape: collectionOf('items', itemShape)},
      handle: async () => ok(embedded('items', await call('item', 'list'))),
    },
    {
      method: 'GET',
      path: '/items/{itemNo}',
      summary: 'One item',
      success: {status: 200, description: 'the item', shape: itemShape},
      handle: async (input) => ok(await call('item', 'show', item(input))),
    },
    {
      method: 'PATCH',
      path: '/items/{itemNo}',
      summary: 'Lend (rentalStatus=Renting: only a paid reservation) or take back (rentalStatus=Returned)',
      body: itemPatchBody,
      success: {status: 200, description: 'the item after the change', shape: itemShape},
      async handle(input) {
        const body = parse(itemPatchBody, input.body)
        const command = body.rentalStatus === 'Renting' ? 'lend' : 'return'
        return ok(await call('item', command, {...item(input), claims: claimsOf(body, ['rentalStatus'])}))
      },
    },
    {
      method: 'DELETE',
      path: '/items/{itemNo}',
      summary: 'Delete an item; refused while reserved or lent unless force=true (its reservation is then cancelled and refunded)',
      query: {force: 'true: also delete a reserved (not lent) item'},
      success: {status: 200, description: 'the deleted item, with the reservation the saga cancels', shape: deletedItemShape},
      handle: async (input) => ok(await call('item', 'delete', {...item(input), force: flag(input.query, 'force')})),
    },
  ]
}

/** /reservations: reserve, list, show, pay, cancel the payment, cancel (the reservation service) */
function reservationRoutes({call}: GatewayDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/reservations',
      summary: 'Reserve an item for a renter (works while the item service is down)',
      body: newReservationBody,
      success: {status: 201, description: 'the reservation', shape: reservationShape},
      async handle(input) {
        const body = parse(newReservationBody, input.body)
        const {itemNo, customerName, customerId = customerName} = body
        const claims = claimsOf(body, ['itemNo', 'customerName', 'customerId'])
        return ok(await call('reservation', 'reserve', {itemNo, customerName, customerId, claims}), 201)
      },
    },
    {
      method: 'GET',
      path: '/reservations',
      summary: 'Every reservation',
      success: {status: 200, description: 'the reservations', shape: collectionOf('reservations', reservationShape)},
      handle: async () => ok(embedded('reservations', await call('reservation', 'list'))),
    },
    {
      method: 'GET',
      path: '/reservations/{reservationNo}',
      summary: 'One reservation',
      success: {status: 200, description: 'the reservation', shape: reservationShape},
      handle: async (input) => ok(await call('reservation', 'show', reservation(input))),
    },
    {
      method: 'PATCH',
      path: '/reservations/{reservationNo}',
      summary: 'Pay (paymentStatus=Paid), cancel the payment (paymentStatus=NotPaid) or cancel the reservation (reservationStatus=Cancelled)',
      body: reservationPatchBody,
      success: {status: 200, description: 'the reservation after the change; after a payment change, with that payment as `payment`', shape: reservationWithPaymentShape},
      async handle(input) {
        const body = parse(reservationPatchBody, input.body)
        const claims = claimsOf(body, ['paymentStatus', 'reservationStatus', 'paymentTimeoutMs'])
        const target = {...reservation(input), claims}
        if (body.reservationStatus === 'Cancelled') return ok(await call('reservation', 'cancel', target))
        const command = body.paymentStatus === 'Paid' ? 'pay' : 'cancelPayment'
        const {reservation: after, payment} = (await call('reservation', command, {...target, paymentTimeoutMs: body.paymentTimeoutMs})) as {
          reservation: object
          payment: unknown
        }
        return ok({...after, payment})
      },
    },
    {
      method: 'DELETE',
      path: '/reservations/{reservationNo}',
      summary: 'Cancel a reservation (a paid one is refunded first)',
      success: {status: 200, description: 'the cancelled reservation', shape: reservationShape},
      handle: async (input) => ok(await call('reservation', 'cancel', reservation(input))),
    },
  ]
}

/** /payments and /itemInfoes: payment's records and the combined view */
function readRoutes({call}: GatewayDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/payments',
      summary: 'Every payment',
      success: {status: 200, description: 'the payments', shape: collectionOf('payments', paymentShape)},
      handle: async () => ok(embedded('payments', await call('payment', 'list'))),
    },
    {
      method: 'GET',
      path: '/payments/{paymentNo}',
      summary: 'One payment',
      success: {status: 200, description: 'the payment', shape: paymentShape},
      handle: async (input) => ok(await call('payment', 'show', {paymentNo: number(input, 'paymentNo')})),
    },
    {
      method: 'GET',
      path: '/itemInfoes',
      summary: 'The combined item view (CQRS read model, built from events only)',
      success: {status: 200, description: 'the view rows', shape: collectionOf('itemInfoes', viewRowShape)},
      handle: async () => ok(embedded('itemInfoes', await call('view', 'list'))),
    },
    {
      method: 'GET',
      path: '/itemInfoes/{itemNo}',
      summary: 'One row of the combined item view',
      success: {status: 200, description: 'the view row', shape: viewRowShape},
      handle: async (input) => ok(await call('view', 'show', item(input))),
    },
  ]
}

/**
 * Live event streams open at once, at most: each holds the history it sends while its reader
 * takes it, so readers that do not read must not be able to add up (docs/guarantees.md#not-promised).
 */
export const MAX_STREAMS = 16

/** /events (history or a live tail) and the probes */
function eventAndProbeRoutes(deps: GatewayDeps): Route[] {
  let streams = 0
  return [
    {
      method: 'GET',
      path: '/events',
      summary: 'Event history of the services, merged in time order; follow=true streams new events (server-sent events)',
      query: {
        type: 'only events of these types (repeat, or comma-separated)',
        source: 'only events of these services (repeat, or comma-separated)',
        correlationId: "only one rental's events",
        limit: 'only the last N events',
        follow: 'true: the history, then new events as server-sent events (`event: event`), `event: caught-up` in between',
      },
      success: {status: 200, description: 'the events, and the services left out with why (with follow=true: text/event-stream)', shape: eventsShape},
      async handle(input) {
        const {query} = input
        const types = many(query, 'type', eventTypes)
        const sources = many(query, 'source', services) ?? [...services]
        const correlationId = query.get('correlationId') ?? undefined
        const limitText = query.get('limit')
        if (limitText !== null && !/^[1-9]\d{0,8}$/.test(limitText)) throw badInput(`limit must be a positive whole number, not "${limitText}"`)
        const limit = limitText === null ? undefined : Number(limitText)
        const filter = {sources, types, correlationId}
        if (!flag(query, 'follow')) {
          const {events, leftOut} = await deps.history({...filter, limit})
          return ok({...embedded('events', events), leftOut})
        }
        if (streams >= MAX_STREAMS) {
          throw unavailable('TOO_MANY_STREAMS', `${MAX_STREAMS} event streams are open already; close one (each \`gdmarket events --follow\` is one), or read the history without follow`)
        }
        const stream = input.stream()
        streams++
        void stream.gone.then(() => streams--)
        await followEvents(stream, deps, filter, limit)
        return undefined
      },
    },
    {
      method: 'GET',
      path: '/healthz',
      summary: 'Liveness: the gateway answers',
      success: {status: 200, description: 'up', shape: upShape},
      handle: async () => ok({status: 'UP'}),
    },
    {
      method: 'GET',
      path: '/readyz',
      summary: 'Readiness: every service online (else 503 naming those that are not)',
      success: {status: 200, description: 'up', shape: upShape},
      async handle() {
        const down = deps.notReady()
        if (down.length === 0) return ok({status: 'UP'})
        const names = down.map((d) => `${d.name} (${d.state})`).join(', ')
        return {
          status: 503,
          headers: {'Retry-After': '1'},
          body: {error: {code: 'NOT_READY', message: `not ready: ${names}; see \`gdmarket status\``}, notReady: down},
        }
      },
    },
  ]
}

/** /stack: the operator's commands (status, a service's start, stop and restart, store recover, down) */
function stackRoutes(deps: GatewayDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/stack/status',
      summary: 'Each process of the stack, the broker, the gateway and the circuit breakers (`gdmarket status`)',
      success: {status: 200, description: 'the status', shape: statusShape},
      handle: async () => ok(deps.status()),
    },
    {
      method: 'POST',
      path: '/stack/services/{name}/{action}',
      summary: 'Start, stop or restart one service (`gdmarket service start|stop|restart NAME`); restart hands over without downtime',
      success: {status: 200, description: 'every process after it', shape: processesShape},
      async handle(input) {
        const {name, action} = input.params
        if (!daemons.includes(name as DaemonName)) throw badInput(`no service named "${name}"; one of ${daemons.join(', ')}`)
        if (!['start', 'stop', 'restart'].includes(action)) throw badInput(`"${action}" is not start, stop or restart`)
        return ok(await deps.operate(action as 'start' | 'stop' | 'restart', name as DaemonName))
      },
    },
    {
      method: 'POST',
      path: '/stack/stores/{name}/recover',
      summary: "Rebuild what a stopped or errored service's store lost from the services that follow it, then start it (`gdmarket store recover NAME`)",
      success: {status: 200, description: 'what was rebuilt (report null: it was online, nothing to do), and every process after it', shape: recoveryShape},
      async handle(input) {
        const {name} = input.params
        if (!daemons.includes(name as DaemonName)) throw badInput(`no service named "${name}"; one of ${daemons.join(', ')}`)
        return ok(await deps.recover(name as DaemonName))
      },
    },
    {
      method: 'POST',
      path: '/stack/down',
      summary: 'Stop the whole stack gracefully (`gdmarket down`); it goes once this answer is sent',
      success: {status: 202, description: "the supervisor's pid, to wait for", shape: z.object({stopping: z.literal(true), pid: z.number().int()})},
      handle: async () => ok({stopping: true, ...deps.down()}, 202),
    },
  ]
}
