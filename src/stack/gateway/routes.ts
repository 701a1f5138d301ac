import {z} from 'zod'

import {eventTypes} from '../../bus/events.js'
import {daemons, MAX_VIEW_REPLICAS, services, type DaemonName} from '../../bus/topics.js'
import {eventsShape, processesShape, recoveryShape, statusShape, upShape} from '../../contract/stack.js'
import {badInput, unavailable} from '../../errors.js'
import {contractRoutes} from './contractRoutes.js'
import {notReadyLine} from '../serviceHealth.js'
import type {GatewayDeps} from './deps.js'
import {followEvents} from './follow.js'
import type {Answer, Route} from './route.js'

export type {Answer, Route, RouteInput} from './route.js'

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

/** Every route of the gateway: the original's market paths (from the contract table), then events, probes and the operator's. */
export function gatewayRoutes(deps: GatewayDeps): Route[] {
  return [...contractRoutes(deps.call), ...eventAndProbeRoutes(deps), ...stackRoutes(deps)]
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
          return ok({_embedded: {events}, leftOut})
        }
        if (streams >= MAX_STREAMS) {
          throw unavailable('TOO_MANY_STREAMS', `${MAX_STREAMS} event streams are open already; close one (each live follower of the events is one), or read the history without follow`)
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
      summary: 'Readiness: every service online and caught up with every event the broker accepted (else 503 naming those that are not, and why)',
      success: {status: 200, description: 'up', shape: upShape},
      async handle() {
        const down = await deps.notReady()
        if (down.length === 0) return ok({status: 'UP'})
        return {
          status: 503,
          headers: {'Retry-After': '1'},
          body: {error: {code: 'NOT_READY', message: notReadyLine(down), next: {command: 'status'}, nextRequest: {method: 'GET', path: '/stack/status'}}, notReady: down},
        }
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      summary: "Metrics in Prometheus' text format: requests by route and status with latency histograms, the processes, broker messages, events applied, dead letters and circuit breakers per service",
      success: {status: 200, description: 'the metrics (text/plain; version=0.0.4)', shape: z.string(), contentType: 'text/plain'},
      handle: async () => ({status: 200, body: undefined, text: await deps.metrics()}),
    },
  ]
}

const scaleBody = z.strictObject({replicas: z.number().int().min(1).max(MAX_VIEW_REPLICAS)})

/** /stack: the operator's commands (status, a service's start, stop and restart, store recover, down) */
function stackRoutes(deps: GatewayDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/stack/status',
      summary: 'Each process of the stack, the broker, the gateway and the circuit breakers (the CLI: status)',
      success: {status: 200, description: 'the status', shape: statusShape},
      handle: async () => ok(deps.status()),
    },
    {
      method: 'POST',
      path: '/stack/services/{name}/{action}',
      summary: 'Start, stop or restart one service (the CLI: service start, stop, restart); restart hands over without downtime',
      success: {status: 200, description: 'every process after it', shape: processesShape},
      async handle(input) {
        const {name, action} = input.params
        if (!daemons.includes(name as DaemonName)) throw badInput(`no service named "${name}"; one of ${daemons.join(', ')}`)
        if (!['start', 'stop', 'restart'].includes(action)) throw badInput(`"${action}" is not start, stop or restart`)
        return ok(await deps.operate(action as 'start' | 'stop' | 'restart', name as DaemonName))
      },
    },
    {
      method: 'PATCH',
      path: '/stack/services/{name}',
      summary: `Run this many replicas of the view, 1 to ${MAX_VIEW_REPLICAS}: \`{"replicas": 3}\` (the CLI: service scale view N); reads are spread over them`,
      body: scaleBody,
      success: {status: 200, description: 'every process after it', shape: processesShape},
      async handle(input) {
        const {name} = input.params
        if (!daemons.includes(name as DaemonName)) throw badInput(`no service named "${name}"; one of ${daemons.join(', ')}`)
        const body = scaleBody.safeParse(input.body)
        if (!body.success) throw badInput(`invalid request body: replicas must be a whole number from 1 to ${MAX_VIEW_REPLICAS} (see /openapi.json)`)
        return ok(await deps.scale(name as DaemonName, body.data.replicas))
      },
    },
    {
      method: 'POST',
      path: '/stack/stores/{name}/recover',
      summary: "Rebuild what a stopped or errored service's store lost from the services that follow it, then start it (the CLI: store recover)",
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
      summary: 'Stop the whole stack gracefully (the CLI: down); it goes once this answer is sent',
      success: {status: 202, description: "the supervisor's pid, to wait for", shape: z.object({stopping: z.literal(true), pid: z.number().int()})},
      handle: async () => ok({stopping: true, ...deps.down()}, 202),
    },
  ]
}
