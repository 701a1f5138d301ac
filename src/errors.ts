import type {NextStep} from './nextStep.js'

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
 * A failure meant for the user: a stable machine `code`, a one-line `message` about the thing
 * (never a command line: an HTTP client reads it too), the exit code, and where there is one the
 * `next` step as data, which each edge renders (docs/architecture.md#refusals-are-data). It
 * crosses the broker as plain JSON (see toWire/fromWire).
 */
export class GdError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly exit: ExitCode,
    readonly next?: NextStep,
  ) {
    super(message)
    this.name = 'GdError'
  }

  toWire(): WireError {
    return {code: this.code, message: this.message, exit: this.exit, ...(this.next ? {next: this.next} : {})}
  }

  static fromWire(e: WireError): GdError {
    return new GdError(e.code, e.message, e.exit, e.next)
  }
}

export interface WireError {
  code: string
  message: string
  exit: ExitCode
  next?: NextStep
}

export const badInput = (message: string, code = 'BAD_INPUT', next?: NextStep) => new GdError(code, message, Exit.badInput, next)
export const refused = (code: string, message: string, next?: NextStep) => new GdError(code, message, Exit.refused, next)
export const notFound = (code: string, message: string, next?: NextStep) => new GdError(code, message, Exit.notFound, next)
export const unavailable = (code: string, message: string, next?: NextStep) => new GdError(code, message, Exit.unavailable, next)
