import type {Log} from './log.js'
import {report} from './daemonProcess.js'
import type {BreakerSummary} from './service.js'

export interface CountersDeps {
  service: string
  log: Log
  duplicates(): number
  deadLetters(): readonly {event: {id: string; type: string}; error: string}[]
}

/**
 * What a daemon counts for the stack's status — messages it ignored, duplicates, dead letters, its
 * circuit breakers — sent to the supervisor coalesced, so a flood of garbage costs one message.
 */
export class Counters {
  private poison = 0
  private readonly breakers = new Map<string, BreakerSummary>()
  private timer: NodeJS.Timeout | null = null

  constructor(private readonly deps: CountersDeps) {}

  /** counts a message that is not what its topic carries, and says so in the log */
  readonly ignored = (why: string, topic: string): void => {
    this.poison++
    this.deps.log.warn(`ignored a message on ${topic}: ${why} (${this.poison} so far)`)
    this.changed()
  }

  readonly breaker = (summary: BreakerSummary): void => {
    this.breakers.set(summary.name, summary)
    this.changed()
  }

  /** the counts as they stand, for the `health` request (the gateway's /metrics) */
  snapshot() {
    return {ignored: this.poison, duplicates: this.deps.duplicates(), deadLetters: this.deps.deadLetters().length, breakers: [...this.breakers.values()]}
  }

  /** something counted changed: report within 100 ms */
  readonly changed = (): void => {
    this.timer ??= setTimeout(this.flush, 100)
  }

  /**
   * Reports the counts now. Before `ready`: the supervisor then has them (its breakers among them)
   * when `up` returns, so a `status` at once shows them (the IPC channel keeps the order).
   */
  readonly flush = (): void => {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const {service, duplicates, deadLetters} = this.deps
    report({
      type: 'counters',
      poison: this.poison,
      duplicates: duplicates(),
      deadLetters: deadLetters().slice(-20).map((d) => ({service, eventId: d.event.id, type: d.event.type, error: d.error})),
      breakers: [...this.breakers.values()],
    })
  }
}
