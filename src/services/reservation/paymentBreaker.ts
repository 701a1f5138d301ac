import CircuitBreaker from 'opossum'

import type {Settings} from '../../config.js'
import {GdError, unavailable} from '../../errors.js'
import type {BreakerSummary} from '../../runtime/service.js'

type Call = (command: 'approve' | 'cancel', body: unknown, timeoutMs: number) => Promise<unknown>

/**
 * The circuit breaker around reservation's synchronous calls to payment (the original system's
 * Hystrix). It opens when too many calls in the rolling window time out or find payment down;
 * while open, `pay` fails at once without reaching payment and says when to retry; after
 * breakerResetTimeoutMs one probe goes through (half-open): success closes it, failure re-opens it.
 * Refusals by a rule (a declined payment) are answers, not failures: they never count.
 */
export class PaymentBreaker {
  private readonly breaker: CircuitBreaker<['approve' | 'cancel', unknown, number], unknown>
  private openedAt: number | null = null
  /** how often it opened since the service started: a test or an operator sees it opened even after it closed again */
  private opens = 0
  /** a count changed and its report waits for the end of this turn */
  private reportDue = false

  constructor(
    call: Call,
    private readonly settings: Settings,
    private readonly onChange: (summary: BreakerSummary) => void,
  ) {
    this.breaker = new CircuitBreaker(call, {
      name: 'payment',
      timeout: false, // the request carries its own deadline (paymentTimeoutMs)
      errorThresholdPercentage: settings.breakerErrorThresholdPercentage,
      volumeThreshold: settings.breakerVolumeThreshold,
      resetTimeout: settings.breakerResetTimeoutMs,
      rollingCountTimeout: settings.breakerRollingCountTimeoutMs,
      rollingCountBuckets: 10,
      errorFilter: (error: unknown) => error instanceof GdError && error.exit !== 5,
    })
    this.breaker.on('open', () => {
      this.openedAt = Date.now()
      this.opens++
    })
    this.breaker.on('close', () => (this.openedAt = null))
    const emitter = this.breaker as unknown as NodeJS.EventEmitter
    // a change of state is told at once; counts once per turn of the event loop, however many
    // calls ended in it: opossum adds its rolling buckets up on every read of its stats
    for (const event of ['open', 'halfOpen', 'close']) emitter.on(event, () => this.onChange(this.summary()))
    for (const event of ['success', 'failure', 'reject']) emitter.on(event, () => this.reportSoon())
  }

  private reportSoon(): void {
    if (this.reportDue) return
    this.reportDue = true
    setImmediate(() => {
      this.reportDue = false
      this.onChange(this.summary())
    })
  }

  async call(command: 'approve' | 'cancel', body: unknown, timeoutMs: number): Promise<unknown> {
    try {
      return await this.breaker.fire(command, body, timeoutMs)
    } catch (error) {
      if ((error as {code?: string}).code !== 'EOPENBREAKER') throw error
      const retryInS = Math.max(1, Math.ceil(((this.openedAt ?? Date.now()) + this.settings.breakerResetTimeoutMs - Date.now()) / 1000))
      throw unavailable(
        'CIRCUIT_OPEN',
        `payment system unavailable (circuit open after repeated failures); nothing was charged, try again in ${retryInS} s`,
      )
    }
  }

  summary(): BreakerSummary {
    const {failures, successes, rejects, timeouts, fires} = this.breaker.stats
    const state = this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'halfOpen' : 'closed'
    return {
      name: 'payment',
      service: 'reservation',
      state,
      calls: fires,
      failures,
      successes,
      rejects,
      timeouts,
      opens: this.opens,
      nextAttemptAt: state === 'open' && this.openedAt !== null ? new Date(this.openedAt + this.settings.breakerResetTimeoutMs).toISOString() : null,
    }
  }
}
