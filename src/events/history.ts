import {parseEnvelope, type Envelope} from '../bus/events.js'
import type {ServiceName} from '../bus/topics.js'
import {Exit, GdError, unavailable} from '../errors.js'
import {mergeHistories} from './order.js'

/** What every service answers to a `history` request (src/runtime/daemon.ts). */
export interface HistoryQuery {
  type?: string
  correlationId?: string
  limit?: number
}

export type Ask = (target: string, command: string, body: unknown) => Promise<unknown>

/**
 * Asks each service for the events it produced and merges them in time order. A service that is
 * down or does not answer is left out with a note, and the others still count: the history of
 * two services is more use to an operator than none. Only when no service answers is it an error.
 */
export async function gatherHistory(
  ask: Ask,
  sources: readonly ServiceName[],
  query: HistoryQuery,
  /** a service left out, or an event of its skipped, and why */
  note: (source: string, message: string) => void,
): Promise<Envelope[]> {
  const histories: Envelope[][] = []
  let lastFailure: GdError | undefined
  // asked together; each answer is taken in the sources' order
  const answers = await Promise.allSettled(sources.map((source) => ask(source, 'history', query)))
  answers.forEach((answer, i) => {
    const source = sources[i]
    if (answer.status === 'fulfilled') return void histories.push(validEvents(answer.value, source, note))
    const error = answer.reason as Error
    if (!(error instanceof GdError) || error.exit !== Exit.unavailable) throw error
    lastFailure = error
    note(source, `the events of ${source} are left out: ${error.message}`)
  })
  if (histories.length === 0 && lastFailure) {
    throw unavailable(lastFailure.code, `no service answered; ${lastFailure.message}`)
  }
  return mergeHistories(histories, query.limit)
}

/** The reply is checked like any message from the bus: what does not parse is noted and skipped. */
function validEvents(answer: unknown, source: string, note: (source: string, message: string) => void): Envelope[] {
  if (!Array.isArray(answer)) {
    note(source, `${source} answered its history with something else than a list; left out`)
    return []
  }
  const events: Envelope[] = []
  for (const raw of answer) {
    const parsed = parseEnvelope(raw)
    if (parsed.ok) events.push(parsed.envelope)
    else note(source, `skipped a malformed event from ${source}: ${parsed.problem}`)
  }
  return events
}
