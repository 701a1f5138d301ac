import {createParser} from 'eventsource-parser'

import type {Envelope} from '../bus/events.js'
import type {GatewayClient} from './gatewayClient.js'

/** GET /events: the history, and the services whose events are left out, with why. */
export interface EventsAnswer {
  _embedded: {events: Envelope[]}
  leftOut: {source: string; message: string}[]
}

export interface EventQuery {
  types?: string[]
  sources?: string[]
  correlationId?: string
  limit?: number
}

/** The query string of GET /events for a filter. */
export function eventsPath(query: EventQuery, follow = false): string {
  const params = new URLSearchParams()
  for (const type of query.types ?? []) params.append('type', type)
  for (const source of query.sources ?? []) params.append('source', source)
  if (query.correlationId !== undefined) params.set('correlationId', query.correlationId)
  if (query.limit !== undefined) params.set('limit', String(query.limit))
  if (follow) params.set('follow', 'true')
  const text = params.toString()
  return text ? `/events?${text}` : '/events'
}

export interface EventStreamHandlers {
  event(event: Envelope): void
  leftOut(message: string): void
  /** the history is done; live events follow */
  caughtUp(): void
}

/** How a followed stream ended: the gateway went, it dropped this reader (with why), or the signal stopped it. */
export type StreamEnd = {end: 'closed'} | {end: 'dropped'; message: string} | {end: 'stopped'}

/**
 * GET /events?follow=true: server-sent events until the gateway goes or drops this reader (its
 * last `event: dropped` says why), or the signal stops it.
 */
export async function followEvents(gateway: GatewayClient, query: EventQuery, on: EventStreamHandlers, signal: AbortSignal): Promise<StreamEnd> {
  const res = await gateway.open('GET', eventsPath(query, true))
  if (res.statusCode !== 200) {
    // a refusal comes as the gateway's usual JSON error: read it the usual way
    res.resume()
    await gateway.call('GET', eventsPath(query))
  }
  let dropped: string | undefined
  const parser = createParser({
    onEvent({event, data}) {
      const value = JSON.parse(data) as unknown
      if (event === 'event') on.event(value as Envelope)
      else if (event === 'left-out') on.leftOut((value as {message: string}).message)
      else if (event === 'caught-up') on.caughtUp()
      else if (event === 'dropped') dropped = (value as {error: {message: string}}).error.message
    },
  })
  return new Promise((resolve) => {
    const stop = () => {
      res.destroy()
      resolve({end: 'stopped'})
    }
    if (signal.aborted) return stop()
    signal.addEventListener('abort', stop, {once: true})
    res.setEncoding('utf8')
    res.on('data', (chunk: string) => parser.feed(chunk))
    res.on('close', () => resolve(dropped === undefined ? {end: 'closed'} : {end: 'dropped', message: dropped}))
  })
}
