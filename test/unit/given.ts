import {expect} from 'vitest'

import {eventSource, parseEnvelope, type DomainEvent, type Envelope, type EventOf, type EventType} from '../../src/bus/events.js'
import {GdError, type ExitCode} from '../../src/errors.js'
import type {NextStep} from '../../src/nextStep.js'

/**
 * given/when/then for the pure deciders (after emmett's DeciderSpecification): past events are
 * wrapped in envelopes and folded with the service's evolve, then a command (or an incoming event,
 * for saga reactions) is decided against that state. No clock, no disk, no broker.
 */

let nextId = 0
const seqBySource: Record<string, number> = {}

export interface Meta {
  correlationId?: string
  causationId?: string | null
  seq?: number
  id?: string
}

/**
 * Wraps a domain event as it would travel on the bus; ids and per-source seqs only increase.
 * Every envelope is checked against the real schema, so a test cannot rely on data the bus rejects.
 */
export function envelope(event: DomainEvent, meta: Meta = {}): Envelope {
  const source = eventSource[event.type]
  const seq = meta.seq ?? (seqBySource[source] = (seqBySource[source] ?? 0) + 1)
  nextId++
  const env = {
    ...event,
    id: meta.id ?? `evt-${String(nextId).padStart(6, '0')}`,
    source,
    time: '2024-05-01T10:00:00.000Z',
    correlationId: meta.correlationId ?? 'rental-test',
    causationId: meta.causationId ?? null,
    seq,
  } as Envelope
  const parsed = parseEnvelope(env)
  if (!parsed.ok) throw new Error(`test envelope for ${event.type} is invalid: ${parsed.problem}`)
  return env
}

const isEnvelope = (e: DomainEvent | Envelope): e is Envelope => 'id' in e

/** Folds past events (bare or already enveloped) into a state, as a daemon does on delivery. */
export function fold<S>(evolve: (state: S, event: Envelope) => S, initial: S, history: Array<DomainEvent | Envelope>): S {
  return history.reduce((state, e) => evolve(state, isEnvelope(e) ? e : envelope(e)), initial)
}

/** A typed domain event: `event('ItemRented', {itemNo: 1, reservationNo: 1})`. */
export const event = <T extends EventType>(type: T, data: EventOf<T>['data']): EventOf<T> => ({type, data}) as EventOf<T>

export interface Rejection {
  code: string
  exit: ExitCode
  /** a part of the one-line message the user reads */
  message?: string | RegExp
  /** the next step it says, as data (each edge renders it: docs/architecture.md#refusals-are-data) */
  next?: NextStep
}

/** Runs `fn` and asserts it throws a GdError with this code and exit code. */
export function expectRejection(fn: () => unknown, expected: Rejection): GdError {
  let thrown: unknown
  try {
    fn()
  } catch (error) {
    thrown = error
  }
  expect(thrown, `expected a ${expected.code} rejection`).toBeInstanceOf(GdError)
  const error = thrown as GdError
  expect({code: error.code, exit: error.exit}).toEqual({code: expected.code, exit: expected.exit})
  if (typeof expected.message === 'string') expect(error.message).toContain(expected.message)
  else if (expected.message) expect(error.message).toMatch(expected.message)
  if (expected.next) expect(error.next).toEqual(expected.next)
  return error
}

export interface Decider<S, C> {
  initialState: () => S
  evolve: (state: S, event: Envelope) => S
  decide?: (command: C, state: S) => DomainEvent[]
  /** a saga step: the events this service emits in answer to another's event */
  react?: (state: S, event: Envelope) => DomainEvent[]
}

/**
 * `spec.given(...past).when(command).then([...new events])` or `.thenThrows({code, exit})`;
 * `spec.given(...past).whenEvent(incoming).then([...reactions])` for saga steps;
 * `spec.given(...past).state` for what evolve made of them.
 */
export function specFor<S, C>(decider: Decider<S, C>) {
  return {
    given(...history: Array<DomainEvent | Envelope>) {
      const state = fold(decider.evolve, decider.initialState(), history)
      const outcome = (run: () => DomainEvent[]) => ({
        then(expected: DomainEvent[]) {
          expect(run()).toEqual(expected)
        },
        thenNothing() {
          expect(run()).toEqual([])
        },
        thenThrows(expected: Rejection) {
          return expectRejection(run, expected)
        },
      })
      return {
        state,
        when(command: C) {
          const decide = decider.decide
          if (!decide) throw new Error('this spec has no decide')
          return outcome(() => decide(command, state))
        },
        /** like the runtime: the service first applies the incoming event, then reacts to it */
        whenEvent(incoming: DomainEvent | Envelope) {
          const react = decider.react
          if (!react) throw new Error('this spec has no react')
          const env = isEnvelope(incoming) ? incoming : envelope(incoming)
          return outcome(() => react(decider.evolve(state, env), env))
        },
      }
    },
  }
}

// ---- the rental most tests tell: one camera, one renter ----

export const camera = {itemNo: 1, itemName: 'Camera', itemPrice: 100}
export const tent = {itemNo: 2, itemName: 'Tent', itemPrice: 40}
export const young = {customerName: 'Young', customerId: 'young-1'}
export const kim = {customerName: 'Kim', customerId: 'kim-7'}

type ItemFacts = typeof camera

export const registered = (item: ItemFacts = camera) => event('ItemRegistered', {...item})
export const reserved = (reservationNo: number, item: ItemFacts = camera, customer = young) =>
  event('Reserved', {reservationNo, ...item, ...customer})
export const reservationCancelled = (
  reservationNo: number,
  item: ItemFacts = camera,
  reason: 'customer' | 'itemDeleted' = 'customer',
) => event('ReservationCancelled', {reservationNo, itemNo: item.itemNo, reason})
export const paymentApproved = (paymentNo: number, reservationNo: number, item: ItemFacts = camera) =>
  event('PaymentApproved', {paymentNo, reservationNo, itemNo: item.itemNo, amount: item.itemPrice})
export const paymentCancelled = (paymentNo: number, reservationNo: number, item: ItemFacts = camera) =>
  event('PaymentCancelled', {paymentNo, reservationNo, itemNo: item.itemNo, amount: item.itemPrice})
export const rentalStarted = (reservationNo: number, item: ItemFacts = camera) =>
  event('RentalStarted', {reservationNo, itemNo: item.itemNo})
export const refundRequested = (reservationNo: number, paymentNo: number, item: ItemFacts = camera) =>
  event('RefundRequested', {reservationNo, itemNo: item.itemNo, paymentNo})
export const rented = (reservationNo: number, item: ItemFacts = camera) =>
  event('ItemRented', {itemNo: item.itemNo, reservationNo})
export const returned = (reservationNo: number, item: ItemFacts = camera) =>
  event('ItemReturned', {itemNo: item.itemNo, reservationNo})
export const deleted = (reservationNo: number | null, item: ItemFacts = camera) =>
  event('ItemDeleted', {itemNo: item.itemNo, reservationNo})
