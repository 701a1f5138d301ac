import {formatMix, type Mix} from './mix.js'
import {percentile, round1, round2} from './percentile.js'

/** Every command a cycle sends, named as on the command line, in the order a table lists them. */
export const loadCommands = ['item register', 'reserve', 'pay', 'lend', 'return', 'reservation cancel'] as const
export type LoadCommand = (typeof loadCommands)[number]

/** A failed transaction as the stack (or the deadline) reported it. */
export interface FailureCause {
  exit: number
  code: string
  message: string
}

export interface FailureGroup extends FailureCause {
  count: number
}

/** Latency of every transaction of one command, failed ones included (as siege counts them), in ms. */
export interface CommandLatency {
  count: number
  failed: number
  p50: number
  p95: number
  p99: number
}

/** `gdmarket load --json` (docs/commands.md: transactions, failed, availability in percent, elapsedMs, rate, latency). */
export interface LoadSummary {
  transactions: number
  successful: number
  failed: number
  /** successful / transactions in percent, rounded down to 2 decimals; 0 when nothing ran */
  availability: number
  elapsedMs: number
  /** transactions per second, 2 decimals */
  rate: number
  latency: Partial<Record<LoadCommand, CommandLatency>>
  /** grouped by exit code, code and message (record numbers masked as N); the most frequent first */
  failures: FailureGroup[]
  /** cycles that ran every command successfully */
  cycles: number
  /** cycles ended by a failed command */
  cyclesFailed: number
  /** cycles stopped half-way by the end of --duration or by Ctrl-C: their item stays reserved */
  cyclesCut: number
  concurrent: number
  mix: string
  /** stopped by Ctrl-C (SIGINT) or SIGTERM */
  interrupted: boolean
  /** requests in flight when interrupted: their outcome is unknown, so they are not counted */
  abandoned: number
}

export interface RunFacts {
  elapsedMs: number
  cyclesStarted: number
  concurrent: number
  mix: Mix
  interrupted: boolean
  abandoned: number
}

/** Counts what a load run did, as it happens; `summary()` turns it into the report. */
export class Tally {
  transactions = 0
  failed = 0
  cycles = 0
  cyclesFailed = 0
  private readonly samples = new Map<LoadCommand, number[]>()
  private readonly failedBy = new Map<LoadCommand, number>()
  private readonly failureGroups = new Map<string, FailureGroup>()

  /** One transaction: its command, how long it took, and why it failed if it did. */
  record(command: LoadCommand, ms: number, failure?: FailureCause): void {
    this.transactions++
    const samples = this.samples.get(command) ?? []
    samples.push(ms)
    this.samples.set(command, samples)
    if (!failure) return
    this.failed++
    this.failedBy.set(command, (this.failedBy.get(command) ?? 0) + 1)
    const message = withoutRecordNumbers(failure.message)
    const key = JSON.stringify([failure.exit, failure.code, message])
    const group = this.failureGroups.get(key) ?? {exit: failure.exit, code: failure.code, message, count: 0}
    group.count++
    this.failureGroups.set(key, group)
  }

  cycleEnded(completed: boolean): void {
    if (completed) this.cycles++
    else this.cyclesFailed++
  }

  summary(facts: RunFacts): LoadSummary {
    const latency: LoadSummary['latency'] = {}
    for (const command of loadCommands) {
      const samples = this.samples.get(command)
      if (!samples) continue
      const sorted = [...samples].sort((a, b) => a - b)
      const at = (p: number) => round1(percentile(sorted, p)!)
      latency[command] = {count: sorted.length, failed: this.failedBy.get(command) ?? 0, p50: at(50), p95: at(95), p99: at(99)}
    }
    const successful = this.transactions - this.failed
    return {
      transactions: this.transactions,
      successful,
      failed: this.failed,
      availability: availability(successful, this.transactions),
      elapsedMs: Math.round(facts.elapsedMs),
      rate: facts.elapsedMs > 0 ? round2(this.transactions / (facts.elapsedMs / 1000)) : 0,
      latency,
      failures: [...this.failureGroups.values()].sort((a, b) => b.count - a.count || a.exit - b.exit || a.code.localeCompare(b.code)),
      cycles: this.cycles,
      cyclesFailed: this.cyclesFailed,
      cyclesCut: facts.cyclesStarted - this.cycles - this.cyclesFailed,
      concurrent: facts.concurrent,
      mix: formatMix(facts.mix),
      interrupted: facts.interrupted,
      abandoned: facts.abandoned,
    }
  }
}

/**
 * Every cycle has its own item and reservation, so the same failure names a different number each
 * time ("payment … for reservation 87"); grouped as "reservation N" it is one line with its count.
 * Only record numbers are masked: a deadline ("within 610 ms") or a limit is part of the cause.
 */
export function withoutRecordNumbers(message: string): string {
  return message
    .replace(/\b(item|reservation|payment) \d+\b/g, '$1 N')
    .replace(/(`gdmarket [a-z][a-z ]*?) \d+\b/g, '$1 N') // the hint: `gdmarket pay 87`
}

/**
 * successful / total in percent, rounded *down* to 2 decimals: 1 failure in 20 000 is 99.99 %, not
 * 100.00 %, so 100.00 always means no failure at all. Nothing ran → 0 (nothing was shown available).
 */
export function availability(successful: number, total: number): number {
  // integer arithmetic first: (57 / 100) * 100 * 100 is 5699.999…, which would floor to 56.99
  return total === 0 ? 0 : Math.floor((successful * 10_000) / total) / 100
}
