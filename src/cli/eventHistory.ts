import {parseEnvelope, type Envelope} from '../bus/events.js'
import type {ServiceName} from '../bus/topics.js'
import {Exit, GdError, unavailable} from '../errors.js'
import {mergeHistories} from './eventOrder.js'

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
  note: (message: string) => void,
): Promise<Envelope[]> {
  const histories: Envelope[][] = []
  let lastFailure: GdError | undefined
  // one after the other: the CLI's single connection is opened by the first request
  for (const source of sources) {
    let answer: unknown
    try {
      answer = await ask(source, 'history', query)
    } catch (error) {
      if (!(error instanceof GdError) || error.exit !== Exit.unavailable) throw error
      lastFailure = error
      note(`gdmarket: the events of ${source} are left out: ${error.message}`)
      continue
    }
    histories.push(validEvents(answer, source, note))
  }
  if (histories.length === 0 && lastFailure) {
    throw unavailable(lastFailure.code, `no service answered; ${lastFailure.message}`)
  }
  return mergeHistories(histories, query.limit)
}

/** The reply is checked like any message from the bus: what does not parse is noted and skipped. */
function validEvents(answer: unknown, source: string, note: (message: string) => void): Envelope[] {
  if (!Array.isArray(answer)) {
    note(`gdmarket: ${source} answered its history with something else than a list; left out`)
    return []
  }
  const events: Envelope[] = []
  for (const raw of answer) {
    const parsed = parseEnvelope(raw)
    if (parsed.ok) events.push(parsed.envelope)
    else note(`gdmarket: skipped a malformed event from ${source}: ${parsed.problem}`)
  }
  return events
}
