import {Exit, GdError} from '../errors.js'
import {nextHint} from './nextHint.js'
import type {Choice, Terminal} from './terminal.js'

const kind: Record<number, string> = {
  [Exit.badInput]: 'Not accepted',
  [Exit.refused]: 'Refused',
  [Exit.notFound]: 'Not found',
  [Exit.unavailable]: 'Unavailable',
}

export type Outcome<R> = {ok: true; value: R} | {ok: false; error: GdError}

/**
 * Sends one market request. A GdError (a rule refused it, e.g. someone else reserved the item
 * meanwhile; a record is gone; a service is down) is told to the person and returned, so the
 * wizard goes on instead of exiting. Anything else is a bug and is not swallowed.
 */
export async function send<R>(terminal: Terminal, request: () => Promise<R>): Promise<Outcome<R>> {
  try {
    return {ok: true, value: await request()}
  } catch (error) {
    if (!(error instanceof GdError)) throw error
    terminal.say(`✖ ${kind[error.exit] ?? 'Failed'}: ${error.message}`)
    const hint = nextHint(error.next)
    if (hint) terminal.say(`  Next: ${hint}.`)
    return {ok: false, error}
  }
}

/** send, for a flow that goes on the same way whatever the reason: the value, or undefined. */
export async function attempt<R>(terminal: Terminal, request: () => Promise<R>): Promise<R | undefined> {
  const outcome = await send(terminal, request)
  return outcome.ok ? outcome.value : undefined
}

/**
 * What now, after a step failed: the next steps as a choice. Trying again is offered when it may
 * work (a service down, slow or restarting: exit 5), not after a rule refused (exit 3); `others`
 * are the flow's own ways on; Back returns to the menu.
 */
export async function nextStep<N extends string>(
  terminal: Terminal,
  message: string,
  error: GdError,
  others: Choice<N>[] = [],
): Promise<N | 'again' | 'back'> {
  const again: Choice<'again'>[] = error.exit === Exit.unavailable ? [{name: 'Try again', value: 'again'}] : []
  return terminal.prompts.select<N | 'again' | 'back'>({message, choices: [...again, ...others, {name: '← Back to the menu', value: 'back'}]})
}

/** send, and after a failure that may pass, offer to try again: the value, or undefined when the person goes back. */
export async function attemptAgain<R>(terminal: Terminal, request: () => Promise<R>, what: string): Promise<R | undefined> {
  for (;;) {
    const outcome = await send(terminal, request)
    if (outcome.ok) return outcome.value
    if (outcome.error.exit !== Exit.unavailable) return undefined // the menu is the next choice
    if ((await nextStep(terminal, `${what} did not go through. What now?`, outcome.error)) === 'back') return undefined
  }
}
