import {MAX_NUMBER, textProblem} from '../text.js'
import type {Choice, Prompts} from './terminal.js'

/**
 * Above this many choices a list no longer fits select's page (7 rows), and scrolling to the
 * right one gets tedious: the wizard switches to the search prompt, where typing filters.
 */
export const SEARCH_ABOVE = 7

const BACK = Symbol('back')
export const BACK_LABEL = '← Back'

/**
 * Asks for one of `choices`, or undefined when the person goes back. Every list ends with Back,
 * so there is always a way out, even when every choice is disabled.
 */
export async function pick<V>(prompts: Prompts, message: string, choices: Choice<V>[]): Promise<V | undefined> {
  const back: Choice<typeof BACK> = {name: BACK_LABEL, value: BACK}
  const answer: V | typeof BACK =
    choices.length > SEARCH_ABOVE
      ? await prompts.search<V | typeof BACK>({
          message: `${message} (type to filter)`,
          source: (term) => [...matching(choices, term), back],
        })
      : await prompts.select<V | typeof BACK>({message, choices: [...choices, back]})
  return answer === BACK ? undefined : (answer as V)
}

/** Every word typed must appear in the choice's label, in any order and case ("cam 10"). */
export function matching<V>(choices: Choice<V>[], term: string | undefined): Choice<V>[] {
  const words = (term ?? '').toLowerCase().split(/\s+/).filter(Boolean)
  return choices.filter((c) => words.every((w) => c.name.toLowerCase().includes(w)))
}

/** A name: printable text, as the CLI's flags and the gateway take it (src/text.ts); returned trimmed. */
export async function askText(prompts: Prompts, message: string, defaultValue?: string): Promise<string> {
  const answer = await prompts.input({
    message,
    default: defaultValue,
    validate: (value) => {
      const problem = textProblem(value)
      return problem === undefined || (value.trim() === '' ? 'Please type at least one character.' : `It ${problem}.`)
    },
  })
  return answer.trim()
}

/** What a whole-number question asks for, in the words its messages use. */
export interface WholeNumber {
  /** "the price": the subject of every message */
  what: string
  min: number
  /** a valid answer, shown in every message */
  example: number
}

/**
 * A whole number of at least `min`. Asked with the input prompt, not inquirer's number prompt:
 * that one words its own refusals ("Value must be between 1 and Infinity", "a multiple of 1",
 * "You must provide a valid numeric value" for letters, before any validate of ours runs).
 */
export async function askWholeNumber(prompts: Prompts, message: string, wanted: WholeNumber): Promise<number> {
  const answer = await prompts.input({message, validate: (text) => wholeNumberProblem(text, wanted) ?? true})
  return Number(answer.trim())
}

/** Why `text` is not the whole number wanted (what is wrong, then what to type), or undefined when it is. */
export function wholeNumberProblem(text: string, {what, min, example}: WholeNumber): string | undefined {
  const typed = text.trim()
  const kind = min === 1 ? 'a whole number above 0' : `a whole number of at least ${min}`
  if (typed === '') return `Type ${what}: ${kind}, e.g. ${example}.`
  if (/^[+-]?\d*[.,]\d+$/.test(typed)) return `${typed} is not whole: ${what} is ${kind}, e.g. ${example}.`
  if (!/^[+-]?\d+$/.test(typed)) return `"${typed}" is not a number: ${what} is ${kind} in digits, e.g. ${example}.`
  const value = Number(typed)
  if (value < min) return `${typed} is too small: ${what} is ${kind}, e.g. ${example}.`
  // as the CLI's flags and the gateway take it
  if (value > MAX_NUMBER) return `${typed} is too large: ${what} is at most ${MAX_NUMBER}.`
  return undefined
}
