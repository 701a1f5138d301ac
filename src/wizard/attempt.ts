import {Exit, GdError} from '../errors.js'
import type {Terminal} from './terminal.js'

const kind: Record<number, string> = {
  [Exit.badInput]: 'Not accepted',
  [Exit.refused]: 'Refused',
  [Exit.notFound]: 'Not found',
  [Exit.unavailable]: 'Unavailable',
}

/**
 * Sends one market request. A GdError (a rule refused it, e.g. someone else reserved the item
 * meanwhile; a record is gone; a service is down) is told to the person and gives undefined, so
 * the wizard goes on instead of exiting. Anything else is a bug and is not swallowed.
 */
export async function attempt<R>(terminal: Terminal, request: () => Promise<R>): Promise<R | undefined> {
  try {
    return await request()
  } catch (error) {
    if (!(error instanceof GdError)) throw error
    terminal.say(`✖ ${kind[error.exit] ?? 'Failed'}: ${error.message}`)
    return undefined
  }
}
