/**
 * What the wizard's flows need from a terminal: four kinds of question and a way to say something.
 * The flows only see this interface, so tests drive them with scripted prompts and a fake market.
 */
export interface Choice<V> {
  name: string
  value: V
  description?: string
  /** shown but not selectable; a string says why, e.g. "(not paid yet)" (inquirer prints it after the name) */
  disabled?: boolean | string
}

export interface Prompts {
  select<V>(config: {message: string; choices: readonly Choice<V>[]; default?: V; pageSize?: number}): Promise<V>
  search<V>(config: {message: string; source: (term: string | undefined) => readonly Choice<V>[]; pageSize?: number}): Promise<V>
  input(config: {message: string; default?: string; validate?: (value: string) => boolean | string}): Promise<string>
  confirm(config: {message: string; default?: boolean}): Promise<boolean>
}

export interface Terminal {
  prompts: Prompts
  /** a line (or lines) for the person, between questions */
  say(text: string): void
}

/**
 * Ctrl-C at a prompt: inquirer rejects with ExitPromptError. Matched by name, not instanceof:
 * the CLI carries two copies of @inquirer/core (ours and oclif's), each with its own class.
 */
export const isPromptExit = (error: unknown): boolean => error instanceof Error && error.name === 'ExitPromptError'
