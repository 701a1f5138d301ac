import {AsyncLocalStorage} from 'node:async_hooks'

import type {Trace} from './trace.js'

/** What the gateway keeps per HTTP request, for the calls made while answering it. */
export interface RequestContext {
  /** how long it waited for the services, so the gateway's own share can be told apart (Server-Timing) */
  ms: number
  /** calls in flight now (the history asks three services at once: their overlap counts once) */
  active: number
  since: number
  trace: Trace
  /** the route it matched (`/items/{itemNo}`), for the metrics; none when it matched none */
  route?: string
}

export const requestContext = new AsyncLocalStorage<RequestContext>()

/** Runs a call to a service, counting its time as the services', not the gateway's (Server-Timing). */
export async function serviceTime<T>(call: () => Promise<T>): Promise<T> {
  const wait = requestContext.getStore()
  if (wait && wait.active++ === 0) wait.since = performance.now()
  try {
    return await call()
  } finally {
    if (wait && --wait.active === 0) wait.ms += performance.now() - wait.since
  }
}

/** The trace of the HTTP request being answered, if any. */
export const currentTrace = (): Trace | undefined => requestContext.getStore()?.trace
