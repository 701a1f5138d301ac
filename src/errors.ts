/** Exit codes of docs/commands.md: every failure a user sees carries one of these. */
export const Exit = {
  ok: 0,
  badInput: 2,
  refused: 3,
  notFound: 4,
  unavailable: 5,
} as const
export type ExitCode = (typeof Exit)[keyof typeof Exit]

/**
 * A failure meant for the user: a stable machine `code`, a one-line `message` that says what to
 * do, and the exit code. It crosses the broker as plain JSON (see toWire/fromWire).
 */
export class GdError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exit: ExitCode,
  ) {
    super(message)
    this.name = 'GdError'
  }

  toWire(): WireError {
    return {code: this.code, message: this.message, exit: this.exit}
  }

  static fromWire(e: WireError): GdError {
    return new GdError(e.code, e.message, e.exit)
  }
}

export interface WireError {
  code: string
  message: string
  exit: ExitCode
}

export const badInput = (message: string, code = 'BAD_INPUT') => new GdError(code, message, Exit.badInput)
export const refused = (code: string, message: string) => new GdError(code, message, Exit.refused)
export const notFound = (code: string, message: string) => new GdError(code, message, Exit.notFound)
export const unavailable = (code: string, message: string) => new GdError(code, message, Exit.unavailable)
