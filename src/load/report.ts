import {columnsTable, table, type Column, type Layout} from '../cli/render.js'
import {loadCommands, type LoadSummary} from './summary.js'

type Failure = LoadSummary['failures'][number]
const failureColumns: Column<Failure>[] = [
  {head: 'exit', value: (f) => f.exit},
  {head: 'code', value: (f) => f.code},
  {head: 'message', value: (f) => f.message, shrink: 20},
  {head: 'count', value: (f) => f.count},
]

/** Failure kinds listed for people; --json has all of them. */
const MAX_FAILURE_ROWS = 20

const ms1 = (ms: number) => ms.toFixed(1)
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

/** The summary for people, laid out like siege's: totals, then latency per command, then failures. */
export function loadReport(s: LoadSummary, layout?: Layout): string {
  const lines = [
    s.interrupted ? `Interrupted: stopped early; ${s.abandoned} request(s) in flight abandoned, not counted` : undefined,
    `Transactions:      ${s.transactions} (${s.successful} succeeded, ${s.failed} failed)`,
    `Availability:      ${s.availability.toFixed(2)} %`,
    `Elapsed time:      ${seconds(s.elapsedMs)}`,
    `Transaction rate:  ${s.rate.toFixed(2)} /s`,
    `Concurrency:       ${s.concurrent} workers`,
    `Cycles:            ${s.cycles} completed, ${s.cyclesFailed} ended by a failure${s.cyclesCut > 0 ? `, ${s.cyclesCut} cut short by the end of the run` : ''} (mix ${s.mix})`,
  ].filter((line) => line !== undefined)
  const rows = loadCommands.flatMap((command) => {
    const l = s.latency[command]
    return l ? [[command, l.count, l.failed, ms1(l.p50), ms1(l.p95), ms1(l.p99)]] : []
  })
  if (rows.length > 0) lines.push(table(['command', 'count', 'failed', 'p50 ms', 'p95 ms', 'p99 ms'], rows))
  if (s.failures.length > 0) {
    lines.push('Failures:')
    const shown = s.failures.slice(0, MAX_FAILURE_ROWS)
    lines.push(columnsTable(failureColumns, shown, layout))
    const hidden = s.failures.length - shown.length
    if (hidden > 0) lines.push(`… and ${hidden} more kinds of failure (see --json)`)
  }
  return lines.join('\n')
}

export interface Progress {
  elapsedMs: number
  transactions: number
  failed: number
  cycles: number
}

/** The line rewritten in place on a terminal while load runs. */
export function progressLine(p: Progress, until: {durationMs?: number; cycles?: number}): string {
  const goal = until.cycles === undefined ? ` / ${seconds(until.durationMs ?? 0)}` : ''
  const cycles = until.cycles === undefined ? `${p.cycles} cycles` : `${p.cycles}/${until.cycles} cycles`
  return `load: ${seconds(p.elapsedMs)}${goal}  ${p.transactions} transactions  ${p.failed} failed  ${cycles}`
}
