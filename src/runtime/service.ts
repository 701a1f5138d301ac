import {z} from 'zod'

import type {Settings} from '../config.js'
import type {DomainEvent, Envelope} from '../bus/events.js'
import type {CallOptions, RequestMessage} from '../bus/rpc.js'
import type {DaemonName, ServiceName} from '../bus/topics.js'
import type {Command, InputOf, OutputOf} from '../contract/index.js'
import {badInput} from '../errors.js'
import {newUuidV7} from '../randomIds.js'
import type {Log} from './log.js'

/** A service's commands, as the contract table declares them (src/contract/). */
export type Commands = Record<string, Command>

/** A handler for each command: given the input its schema parsed, it answers with the command's output. */
export type Handlers<C extends Commands> = {[K in keyof C]: (input: InputOf<C[K]>, request: RequestMessage) => Promise<OutputOf<C[K]>>}

/**
 * A daemon's domain, as the runtime needs it: state, how events change it, and its request
 * handlers, typed by its commands in the contract table.
 */
export interface ServiceDefinition<S, C extends Commands = any> {
  name: DaemonName
  /** its commands, from the contract table: each request is parsed by its command's input schema */
  commands: C
  initialState: () => S
  /** the services whose events this one applies */
  follows: ServiceName[]
  evolve: (state: S, event: Envelope) => S
  /** the events this service emits in answer to another's event (saga steps) */
  react?: (state: S, event: Envelope) => DomainEvent[]
  handlers: (ctx: ServiceContext<S>) => Handlers<C>
  /** false: requests do not wait for the followed services' latest events (see the daemon's barrier) */
  causalBarrier?: boolean
  /** commands decided on this service's own facts alone: they skip the barrier too */
  selfContained?: readonly (keyof C & string)[]
}

export type RequestHandler = (body: unknown, request: RequestMessage) => Promise<unknown>

export interface Decision {
  events: DomainEvent[]
  correlationId: string
  causationId: string | null
}

export interface ServiceContext<S> {
  settings: Settings
  log: Log
  /**
   * Reads the state after everything that arrived before this call has been applied, once the
   * commits it was made from are on disk (`waitForDisk: false` when all it shows is durable elsewhere).
   */
  read<T>(view: (state: S) => T, options?: {waitForDisk?: boolean}): Promise<T>
  /**
   * Decides against the current state, stores the new state with its events, and resolves once the
   * broker has them — so a reply sent afterwards can never overtake its own events.
   */
  execute<T>(decide: (state: S) => Decision, result: (state: S, events: Envelope[]) => T): Promise<T>
  /**
   * Applies events another service sent along with its reply, through the same inbox as
   * subscriptions; resolves once the events they caused here, if any, are at the broker.
   */
  applyEvents(events: unknown, from: ServiceName): Promise<void>
  /** This service's own events, oldest first: every service keeps every event it made. */
  ownEvents(): readonly Envelope[]
  /**
   * Whether a followed service was stopped or gave up (`service stop`, errored): a call to it would
   * only wait for its deadline. A service restarting (or healing from a crash) is not down: its
   * requests wait in its session.
   */
  isDown(service: ServiceName): boolean
  call(target: ServiceName, command: string, body: unknown, options: CallOptions): Promise<unknown>
  /** Tells the supervisor (and so the stack's status) how a circuit breaker stands. */
  reportBreaker(summary: BreakerSummary): void
}

export interface BreakerSummary {
  name: string
  /** the service whose breaker it is */
  service: string
  state: 'closed' | 'open' | 'halfOpen'
  calls: number
  failures: number
  successes: number
  rejects: number
  timeouts: number
  /** how often it opened since its service started */
  opens: number
  /** when an open breaker lets the next probe through */
  nextAttemptAt: string | null
}

/** Exit code of a daemon that must not be restarted until a person fixes something (EX_CONFIG). */
export const EXIT_WONT_START = 78

/** Exit code of a daemon that cannot write its files (a full disk): restarted until it can (EX_TEMPFAIL). */
export const EXIT_STORAGE = 75

export const newCorrelationId = () => newUuidV7()

export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body)
  if (!parsed.success) throw badInput(`invalid request: ${z.prettifyError(parsed.error).split('\n').join(' ')}`)
  return parsed.data
}

/** The handlers as the request server calls them: each request's body parsed by its command's input schema first. */
export function contractHandlers<C extends Commands>(commands: C, handlers: Handlers<C>): Record<string, RequestHandler> {
  return Object.fromEntries(
    Object.entries(commands).map(([name, command]) => {
      const handle = handlers[name] as (input: unknown, request: RequestMessage) => Promise<unknown>
      return [name, (body: unknown, request: RequestMessage) => handle(parseBody(command.input, body), request)]
    }),
  )
}

/** Puts a decider's events into envelopes: ids, time, tracing ids and this source's next seqs. */
export function stamp(source: ServiceName, events: DomainEvent[], meta: Omit<Decision, 'events'>, lastSeq: number): Envelope[] {
  return events.map(
    (event, i) =>
      ({
        ...event,
        id: newUuidV7(),
        source,
        time: new Date().toISOString(),
        correlationId: meta.correlationId,
        causationId: meta.causationId,
        seq: lastSeq + i + 1,
      }) as Envelope,
  )
}
