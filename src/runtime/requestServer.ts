import {requestSchema, sendReply, type Publish, type RequestMessage} from '../bus/rpc.js'
import {badInput, GdError, unavailable} from '../errors.js'
import {BARRIER_MS, type Frontier} from './barrier.js'
import type {Log} from './log.js'
import type {RequestHandler} from './service.js'

export interface RequestServerDeps {
  service: string
  /** sends a reply */
  publish: Publish
  log: Log
  /** counts a message that is not a request */
  poison(why: string, topic: string): void
  /** why no request may be served any more (the store could not be written), if so */
  refusal?(): GdError | undefined
  /** waits until this service has applied the frontier a request carries (at most `waitMs`), unless the command needs none */
  caughtUp(command: string, frontier: Frontier | undefined, waitMs: number): Promise<void>
}

/**
 * A service's requests: each is parsed, run by its handler once the service has caught up with
 * the frontier it carries, and answered with a result or the error a caller can show. A request
 * whose caller already gave up (past its deadline) is not run at all.
 */
export class RequestServer {
  private readonly inFlight = new Set<Promise<void>>()
  /** requests taken since it started, the runtime's `health` probes left out: how reads spread over the view's replicas */
  handled = 0
  private handlers: Record<string, RequestHandler> | undefined
  private wired: () => void = () => {}
  /** requests can arrive before the handlers exist (a resumed session replays at once) */
  private readonly wiring = new Promise<void>((resolve) => (this.wired = resolve))

  constructor(private readonly deps: RequestServerDeps) {}

  serve(handlers: Record<string, RequestHandler>): void {
    this.handlers = handlers
    this.wired()
  }

  handle(topic: string, command: string, payload: Buffer): void {
    const {service, log} = this.deps
    let request: RequestMessage
    try {
      request = requestSchema.parse(JSON.parse(payload.toString()))
    } catch {
      return this.deps.poison('not a request', topic)
    }
    if (Date.now() > request.deadline) return log.warn(`dropped ${command} request ${request.id}: its caller stopped waiting`)
    if (command !== 'health') this.handled++
    const work = this.wiring.then(async () => {
      const handler = Object.hasOwn(this.handlers!, command) ? this.handlers![command] : undefined
      if (!handler) throw badInput(`the ${service} service has no command "${command}"`, 'UNKNOWN_COMMAND')
      const refusal = this.deps.refusal?.()
      if (refusal) throw refusal
      // at least BARRIER_MS, else half of what the caller still waits: the refusal must reach it in time
      await this.deps.caughtUp(command, request.after, Math.max(BARRIER_MS, (request.deadline - Date.now()) / 2))
      return handler(request.body, request)
    })
    const replied = work.then(
      (result) => {
        // a store that failed meanwhile may have made this answer from memory the disk never got
        const refusal = this.deps.refusal?.()
        sendReply(this.deps.publish, request, refusal ? {ok: false, error: refusal.toWire()} : {ok: true, result})
      },
      (error: unknown) => {
        // once the store failed, whatever went wrong after is that
        error = this.deps.refusal?.() ?? error
        if (!(error instanceof GdError)) log.error(`${command} failed: ${(error as Error).stack ?? error}`)
        const failure =
          error instanceof GdError
            ? error
            : unavailable('INTERNAL', `the ${service} service failed: ${(error as Error).message}; its log says more`, {command: 'logs', service})
        sendReply(this.deps.publish, request, {ok: false, error: failure.toWire()})
      },
    )
    this.inFlight.add(replied)
    void replied.finally(() => this.inFlight.delete(replied))
  }

  /** resolves once every request taken so far is answered: a graceful stop waits for it */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.inFlight])
  }
}
