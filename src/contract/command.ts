import type {z} from 'zod'

import type {DaemonName} from '../bus/topics.js'

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** Where a command is on the gateway: the original system's method and path. */
export interface HttpBinding {
  method: HttpMethod
  /** `{field}` marks an input field taken from the path */
  path: string
  /**
   * Body fields whose values choose this command among the others on the same method and path
   * (`rentalStatus=Renting` lends, `rentalStatus=Returned` takes back). They describe the thing
   * after the command, which is what the command makes true, so they are not input of its own.
   */
  when?: Readonly<Record<string, string>>
  /** input fields taken from the query string, with what they mean */
  query?: Readonly<Record<string, string>>
  /** the status of a success (201 for a creation; 200 if not said) */
  status?: 200 | 201
}

/**
 * One command of a service, declared once (docs/architecture.md#the-contract): its input and
 * output schemas and its refusals. The gateway's routes and body checks, /openapi.json, the
 * services' handler types and input parsing, and the CLI's client are all made from it.
 */
export interface Command<I extends z.ZodObject = z.ZodObject, O extends z.ZodType = z.ZodType> {
  service: DaemonName
  summary: string
  /** one object: the path's fields, the query's and the body's; fields beyond the command's own arguments are claims */
  input: I
  output: O
  /** the codes it refuses with, beside those any command may meet on its way (commonRefusals) */
  refusals: readonly string[]
  /** absent: a command between services, which no client can send */
  http?: readonly HttpBinding[]
}

/** Declares a command; its own type stays (whether it has an `http` binding, its exact schemas). */
export const command = <D extends Command>(declared: D): D => declared

/** What a handler is given: the input as its schema parsed it. */
export type InputOf<C extends Command> = z.output<C['input']>
/** What a client sends: the input before parsing (numbers may still be digits in text). */
export type RequestOf<C extends Command> = z.input<C['input']>
/** What a handler answers and a client gets, unchanged on the way. */
export type OutputOf<C extends Command> = z.output<C['output']>

/** The refusals any command may meet on its way, whichever it is. */
export const commonRefusals = [
  'BAD_INPUT',
  'CONTRADICTS_FACTS',
  'SERVICE_DOWN',
  'RESTARTING',
  'TIMEOUT',
  'CATCHING_UP',
  'STORE_FAILED',
  'STORAGE',
  'STORE_BEHIND',
  'INTERNAL',
] as const
