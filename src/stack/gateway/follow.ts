import type {Envelope} from '../../bus/events.js'
import {GdError} from '../../errors.js'
import {SentMarks} from '../../events/sentMarks.js'
import type {EventStream} from './eventStream.js'
import type {EventsFilter, GatewayDeps} from './deps.js'

/**
 * Live events held while the history is sent, at most (some 3 MB): a reader that takes the
 * history slower than the stack makes events would never catch up, and is dropped.
 */
export const MAX_HELD = 10_000

const behind = (held: number) =>
  `more than ${held} new events came while this stream's reader took the history, so the gateway dropped it to spare the stack's memory; read faster, or ask for less (limit, type, source, correlationId)`

/** Sends one event, then waits while the reader is behind: false once the stream is gone. */
const paced = async (stream: EventStream, event: Envelope): Promise<boolean> => stream.send('event', event) && (await stream.drained())

/**
 * GET /events?follow=true (docs/http-api.md, "Events and server-sent events"): the history, the
 * services left out of it, the live events that came meanwhile (held, so that none is lost), then
 * `caught-up` and each new event as it comes. An event is sent once: SentMarks remembers a
 * high-water mark per source, not every id. The history waits for its reader; live events do not,
 * and a reader too far behind is dropped by the stream (src/stack/gateway/eventStream.ts).
 */
export async function followEvents(stream: EventStream, deps: Pick<GatewayDeps, 'history' | 'follow'>, filter: EventsFilter, limit?: number): Promise<void> {
  const sent = new SentMarks()
  let held: Envelope[] | undefined = []
  const stop = deps.follow(filter, (event) => {
    if (!held) return void (sent.fresh(event) && stream.send('event', event))
    if (held.push(event) > MAX_HELD) stream.drop('SLOW_READER', behind(MAX_HELD))
  })
  void stream.gone.then(() => {
    stop()
    held = undefined // what waited is let go with the reader
  })
  try {
    const {events, leftOut} = await historyOf(deps, filter, limit)
    for (const event of events) if (!(await paced(stream, event))) return
    for (const event of events) sent.coveredUpTo(event.source, event.seq)
    for (const note of leftOut) stream.send('left-out', note)
    // the held events, and those that come while they are sent, in the order they came
    for (let batch = held?.splice(0) ?? []; batch.length > 0; batch = held?.splice(0) ?? []) {
      for (const event of batch) if (sent.fresh(event) && !(await paced(stream, event))) return
    }
    held = undefined
    stream.send('caught-up', {})
  } catch (error) {
    stream.drop('INTERNAL', `the gateway failed while it sent the history: ${(error as Error).message}; the supervisor's log says more`)
    throw error
  }
}

/** The history; when no service answers, every source asked is left out with why, and live events still follow. */
async function historyOf(deps: Pick<GatewayDeps, 'history'>, filter: EventsFilter, limit?: number): ReturnType<GatewayDeps['history']> {
  try {
    return await deps.history({...filter, limit})
  } catch (error) {
    if (!(error instanceof GdError)) throw error
    return {events: [], leftOut: filter.sources.map((source) => ({source, message: error.message}))}
  }
}
