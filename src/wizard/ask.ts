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

/** A line of text that must not be blank; returned trimmed. */
export async function askText(prompts: Prompts, message: string, defaultValue?: string): Promise<string> {
  const answer = await prompts.input({
    message,
    default: defaultValue,
    validate: (value) => value.trim().length > 0 || 'Please type at least one character.',
  })
  return answer.trim()
}
