import type {z} from 'zod'

import type {EventStream} from './eventStream.js'

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
  /** a plain-text answer instead of the JSON body (/metrics: Prometheus' text format) */
  text?: string
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
  success: {status: number; description: string; shape: z.ZodType; contentType?: string}
  handle(input: RouteInput): Promise<Answer | undefined>
}
