import {randomUUID} from 'node:crypto'

import {z} from 'zod'

import {GdError, type WireError} from '../errors.js'
import {nextStepSchema} from '../nextStep.js'
import {topics} from './topics.js'

/**
 * Request/reply over MQTT 3.1.1, which has no reply-topic or correlation properties: both travel
 * in the payload. A request carries a deadline so a service never works for a caller that gave up.
 */
export const requestSchema = z.object({
  id: z.string().min(1),
  replyTo: z.string().min(1),
  deadline: z.number(),
  correlationId: z.string().optional(),
  /**
   * The gateway's frontier: the highest seq per source the broker had accepted when the request
   * came in. The service answers once it has applied that much of the sources it follows, so the
   * answer includes every change acknowledged to anyone before (docs/architecture.md).
   */
  after: z.record(z.string(), z.number().int().min(0)).optional(),
  body: z.unknown(),
})
export type RequestMessage = z.infer<typeof requestSchema>

const exitCode = z.union([z.literal(0), z.literal(2), z.literal(3), z.literal(4), z.literal(5)])
export const replySchema = z.object({
  id: z.string(),
  ok: z.boolean(),
  result: z.unknown().optional(),
  error: z.object({code: z.string(), message: z.string(), exit: exitCode, next: nextStepSchema.optional()}).optional(),
})
export type ReplyMessage = z.infer<typeof replySchema>

/** How a request or a reply leaves: over an MQTT connection, or straight into the embedded broker. */
/**
 * Publishes a message: at QoS 1 unless 0 is asked and the connection allows it. A reply asks for
 * QoS 0 (`sendReply`): its requester waits on a live connection and times out if it is lost, so an
 * acknowledgement from the broker (and one from the requester) would be two packets for nothing.
 * A daemon allows it on the embedded broker only (src/runtime/daemon.ts, docs/architecture.md).
 */
export type Publish = (topic: string, payload: string, options?: {qos: 0 | 1}) => Promise<void>

export interface CallOptions {
  timeoutMs: number
  /** the request's id (the gateway's W3C span-id, src/stack/gateway/trace.ts); else a new UUID. Unique among the caller's calls in flight */
  id?: string
  correlationId?: string
  after?: Record<string, number>
  /** the error to raise when no reply comes in time */
  onTimeout: () => GdError
}

interface Pending {
  resolve: (result: unknown) => void
  reject: (error: Error) => void
  timer: NodeJS.Timeout
}

/** The one request client: the gateway's, and reservation's to payment. */
export class Requester {
  private readonly pending = new Map<string, Pending>()

  constructor(
    private readonly publish: Publish,
    readonly replyTopic: string,
  ) {}

  call(target: string, command: string, body: unknown, options: CallOptions): Promise<unknown> {
    const id = options.id ?? randomUUID()
    const request: RequestMessage = {
      id,
      replyTo: this.replyTopic,
      deadline: Date.now() + options.timeoutMs,
      correlationId: options.correlationId,
      after: options.after,
      body,
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(options.onTimeout())
      }, options.timeoutMs)
      this.pending.set(id, {resolve, reject, timer})
      this.publish(topics.request(target, command), JSON.stringify(request)).catch((error: Error) => this.settle(id, (p) => p.reject(error)))
    })
  }

  /** Hands a reply to its caller: `late` when nobody waits for it any more, `malformed` when it is no reply. */
  handleReply(payload: Buffer): 'settled' | 'late' | 'malformed' {
    let reply: ReplyMessage
    try {
      reply = replySchema.parse(JSON.parse(payload.toString()))
    } catch {
      return 'malformed'
    }
    const settled = this.settle(reply.id, (p) =>
      reply.ok ? p.resolve(reply.result) : p.reject(GdError.fromWire(reply.error as WireError)),
    )
    return settled ? 'settled' : 'late'
  }

  /** Fails every waiting call, e.g. when the connection is lost for good. */
  rejectAll(error: Error): void {
    for (const id of [...this.pending.keys()]) this.settle(id, (p) => p.reject(error))
  }

  private settle(id: string, how: (p: Pending) => void): boolean {
    const p = this.pending.get(id)
    if (!p) return false
    this.pending.delete(id)
    clearTimeout(p.timer)
    how(p)
    return true
  }
}

/** A reply that cannot be sent is the caller's timeout: nothing else can be done with it. */
export function sendReply(publish: Publish, request: RequestMessage, reply: Omit<ReplyMessage, 'id'>): void {
  publish(request.replyTo, JSON.stringify({id: request.id, ...reply}), {qos: 0}).catch(() => {})
}
