import type {Envelope} from '../bus/events.js'
import type {Requester} from '../bus/rpc.js'
import {services, SUPERVISOR, type DaemonName, type ServiceName} from '../bus/topics.js'
import type {Settings} from '../config.js'
import {unavailable} from '../errors.js'
import {gatherHistory} from '../events/history.js'
import {matchesFilter} from '../events/order.js'
import type {Broker} from './broker.js'
import type {EventFrontier} from './gateway/frontier.js'
import type {GatewayDeps} from './gateway/deps.js'
import {gatewayMetrics} from './gateway/metrics.js'
import {currentTrace, serviceTime} from './gateway/requestContext.js'
import {correlationIdOf, requestIdOf} from './gateway/trace.js'
import {serviceHealth} from './serviceHealth.js'
import type {Supervisor} from './supervisor.js'

/**
 * What the gateway knows of the daemons and may do with them: the supervisor, or for a gateway
 * alone on its host what the daemons' liveness says (remoteProcesses.ts).
 */
export type Processes = Pick<Supervisor, 'refusal' | 'replicaFor' | 'status' | 'breakers' | 'deadLetters' | 'start' | 'stop' | 'restart' | 'recover' | 'scale'>

export interface StackParts {
  broker: Broker
  processes: Processes
  settings: Settings
  requester: Requester
  frontier: EventFrontier
  /** live event followers (GET /events?follow=true) */
  followers: Set<(event: Envelope) => void>
  /** the gateway's address and socket, once it listens */
  gateway(): {httpPort: number; socket?: string} | undefined
  /** messages on the gateway's reply topic that were no reply */
  poison(): number
  startedAt: number
  shutdown(why: string): Promise<void>
  metrics: ReturnType<typeof gatewayMetrics>
}

/** The gateway's metrics (src/stack/gateway/metrics.ts), read from the stack's parts at each scrape. */
export function stackMetrics(parts: Pick<StackParts, 'broker' | 'processes' | 'frontier' | 'requester'>) {
  const {broker, processes, frontier, requester} = parts
  const health = serviceHealth(requester, () => processes.status())
  return gatewayMetrics({brokerMessages: () => ({...broker.messages}), processes: () => processes.status(), frontier: () => frontier.snapshot(), health: health.all})
}

/**
 * What the gateway's routes need of the stack (GatewayDeps), from its parts: requests to the
 * daemons stamped with the frontier and refused at once when the supervisor knows the daemon is
 * not running; the supervisor's status and operations; the event history and live events.
 */
export function gatewayDeps(parts: StackParts): GatewayDeps {
  const {processes, settings, requester, frontier, followers} = parts
  const health = serviceHealth(requester, () => processes.status())
  const call: GatewayDeps['call'] = async (service, command, body = {}) => {
    // a read goes to one of the view's replicas; each waits for the frontier it carries (docs/deploy.md#view-replicas)
    const target = processes.replicaFor(service)
    const refusal = processes.refusal(target)
    if (refusal) throw refusal
    // the request's W3C trace: its trace-id a rental's correlation, its span the request's id (trace.ts)
    const trace = currentTrace()
    return serviceTime(() =>
      requester.call(target, command, body, {
        timeoutMs: settings.requestTimeoutMs,
        after: frontier.snapshot(),
        ...(trace ? {correlationId: correlationIdOf(trace), id: requestIdOf(trace)} : {}),
        onTimeout: () => unavailable('TIMEOUT', `the ${target} service did not answer within ${settings.requestTimeoutMs} ms; see how the stack stands`, {command: 'status'}),
      }),
    )
  }
  return {
    call,
    status: () => stackStatus(parts),
    notReady: () => health.notReady(frontier.snapshot()),
    metrics: () => parts.metrics.scrape(),
    operate: async (action, name) => (await processes[action](name), processes.status()),
    scale: (name, count) => processes.scale(name, count),
    recover: (name) => processes.recover(name),
    down: () => {
      setImmediate(() => void parts.shutdown('asked by a client'))
      return {pid: process.pid}
    },
    history: async ({sources, types, correlationId, limit}) => {
      // one type is filtered by the services themselves; several (and the rest) here
      const type = types?.length === 1 ? types[0] : undefined
      const leftOut: {source: string; message: string}[] = []
      const events = await gatherHistory(
        (target, command, body) => call(target as DaemonName, command, body as object),
        sources.filter((s): s is ServiceName => services.includes(s as ServiceName)),
        {type, correlationId, limit: types && types.length > 1 ? undefined : limit},
        (source, message) => leftOut.push({source, message}),
      )
      const kept = events.filter((e) => matchesFilter(e, {types, sources, correlationId}))
      return {events: limit === undefined ? kept : kept.slice(-limit), leftOut}
    },
    follow: (filter, send) => {
      const follower = (event: Envelope) => matchesFilter(event, filter) && send(event)
      followers.add(follower)
      return () => followers.delete(follower)
    },
  }
}

/** The stack's status: the broker, the gateway, and every process with the supervisor first. */
function stackStatus({broker, processes, settings, gateway, poison, startedAt}: StackParts) {
  const open = gateway()
  return {
    port: broker.port,
    broker: {messages: {...broker.messages}},
    gateway: {
      httpPort: open?.httpPort ?? null,
      address: `http://127.0.0.1:${open?.httpPort}`,
      socket: open?.socket ?? null,
      auth: settings.httpAuth === 0 ? 'none' : 'token',
    },
    processes: [
      {
        name: SUPERVISOR,
        state: 'online',
        pid: process.pid,
        uptimeMs: Date.now() - startedAt,
        restarts: 0,
        lastExit: null,
        lastError: null,
        poisonMessages: poison(),
        duplicates: 0,
      },
      ...processes.status(),
    ],
    breakers: processes.breakers(),
    deadLetters: processes.deadLetters(),
  }
}
