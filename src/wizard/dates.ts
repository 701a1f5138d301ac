import {dayProblem, lengthProblem, reversedProblem, type Day} from '../calendar.js'
import type {Prompts} from './terminal.js'

/** A rental's days: its first and its last, both included (`reserve --from D --to D`). */
export interface Period {
  from: Day
  to: Day
}

/** The wizard's words for the two days, in a refusal of their order ("the last day (…) is before the first day (…)"). */
const names = {from: 'the first day', to: 'the last day'}

/**
 * The rental's days, or undefined when the first is left empty: a rental without dates, from today
 * until returned (the original's). Each day is checked at its question as the CLI checks --from
 * and --to (src/calendar.ts), and the order as the reservation service checks it; a day in the
 * past is the service's to refuse (only it knows today in the stack's time zone).
 */
export async function askPeriod(prompts: Prompts): Promise<Period | undefined> {
  const first = await prompts.input({
    message: 'First day (YYYY-MM-DD; empty: from today until returned)?',
    validate: (text) => (text.trim() === '' ? true : sentence(dayProblem(text.trim()))),
  })
  const from = first.trim()
  if (from === '') return undefined
  const last = await prompts.input({
    message: 'Last day, included (YYYY-MM-DD)?',
    default: from, // Enter: a rental of one day
    validate: (text) => sentence(dayProblem(text.trim()) ?? reversedProblem(from, text.trim(), names) ?? lengthProblem(from, text.trim())),
  })
  return {from, to: last.trim()}
}

/** A problem as the question shows it under the answer: one sentence; none: accepted. */
const sentence = (problem: string | undefined): string | true => (problem === undefined ? true : `${problem}.`)
