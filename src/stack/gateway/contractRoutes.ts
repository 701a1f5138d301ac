import {z} from 'zod'

import type {DaemonName} from '../../bus/topics.js'
import {contractCommands, type Command, type HttpBinding} from '../../contract/index.js'
import {badInput, refused} from '../../errors.js'
import type {Route, RouteInput} from './route.js'

/** A command where the gateway has it: one binding of it, with its name in the table. */
interface Bound {
  name: string
  command: Command
  binding: HttpBinding
}

type Call = (target: DaemonName, command: string, body?: object) => Promise<unknown>

/**
 * The market's routes, made from the contract table (src/contract/): one route for each method and
 * path, which picks its command by the fields its bindings name (`rentalStatus=Renting` lends),
 * checks the request against that command's input schema, and hands the service the request as
 * it came. The service's answer is the response, unchanged.
 */
export function contractRoutes(call: Call): Route[] {
  const routes = new Map<string, Bound[]>()
  for (const {name, command} of contractCommands()) {
    for (const binding of command.http ?? []) {
      const key = `${binding.method} ${binding.path}`
      routes.set(key, [...(routes.get(key) ?? []), {name, command, binding}])
    }
  }
  return [...routes.values()].map((bound) => routeOf(bound, call))
}

function routeOf(bound: Bound[], call: Call): Route {
  const {method, path, query} = bound[0].binding
  const outputs = [...new Set(bound.map((b) => b.command.output))]
  return {
    method,
    path,
    summary: bound.map((b) => b.command.summary).join('. '),
    body: method === 'POST' || method === 'PATCH' ? oneOrUnion(bound.map(bodySchema)) : undefined,
    query,
    success: {status: bound[0].binding.status ?? 200, description: 'the answer', shape: oneOrUnion(outputs)},
    async handle(input) {
      const {name, command, binding} = choose(bound, input.body)
      const request = requestOf(binding, input)
      parse(command.input, request)
      return {status: binding.status ?? 200, body: await call(command.service, name, request)}
    },
  }
}

const oneOrUnion = (schemas: z.ZodType[]): z.ZodType => (schemas.length === 1 ? schemas[0] : z.union(schemas))

const pathFields = (binding: HttpBinding) => [...binding.path.matchAll(/\{(\w+)\}/g)].map(([, field]) => field)

/** The body a binding takes, for /openapi.json: the input less the path's and the query's fields, with the fields that choose it. */
function bodySchema({command, binding}: Bound): z.ZodType {
  const elsewhere = [...pathFields(binding), ...Object.keys(binding.query ?? {})]
  const chosenBy = Object.fromEntries(Object.entries(binding.when ?? {}).map(([field, value]) => [field, z.literal(value)]))
  const mask = Object.fromEntries(elsewhere.map((field) => [field, true as const]))
  return command.input.omit(mask as never).extend(chosenBy)
}

/** The command a request is for: the one binding whose fields it sends (a path with one command needs none). */
function choose(bound: Bound[], body: unknown): Bound {
  if (bound.length === 1) return bound[0]
  const sent = (body ?? {}) as Record<string, unknown>
  const chosen = bound.filter((b) => b.binding.when && Object.entries(b.binding.when).every(([field, value]) => sent[field] === value))
  if (chosen.length === 1) return chosen[0]
  const values = new Map<string, string[]>()
  for (const {binding} of bound) for (const [field, value] of Object.entries(binding.when ?? {})) values.set(field, [...(values.get(field) ?? []), value])
  const options = [...values].map(([field, [one, ...more]]) => (more.length === 0 ? `${field}=${one}` : `${field} (must be one of: ${[one, ...more].join(', ')})`))
  const what = chosen.length === 0 ? 'send' : 'one change at a time: send'
  throw badInput(`invalid request body: ${what} ${options.join(' or ')} (see /openapi.json)`)
}

/**
 * The request as the command's input: the body, the declared query parameters and the path's
 * fields. A body field that names the path's record too must be the same record (the original's
 * clients send `itemNo=1` to /items/1); one that is not is a claim that contradicts.
 */
function requestOf(binding: HttpBinding, input: RouteInput): Record<string, unknown> {
  const body = typeof input.body === 'object' && input.body !== null && !Array.isArray(input.body) ? (input.body as Record<string, unknown>) : {}
  if (input.body !== undefined && body !== input.body) throw badInput('invalid request body: must be a JSON object (see /openapi.json)')
  const request: Record<string, unknown> = Object.fromEntries(Object.entries(body).filter(([field]) => !(field in (binding.when ?? {}))))
  for (const field of Object.keys(binding.query ?? {})) {
    const value = input.query.get(field)
    if (value !== null) request[field] = value
  }
  for (const field of pathFields(binding)) {
    const inPath = input.params[field]
    if (field in request && !sameNumber(request[field], inPath)) {
      throw refused('CONTRADICTS_FACTS', `${field} is ${inPath} (the path's), not ${JSON.stringify(request[field])}; leave ${field} out of the body or send the same`)
    }
    request[field] = inPath
  }
  return request
}

const sameNumber = (claimed: unknown, inPath: string) => String(claimed).trim() === inPath || (/^\d+$/.test(inPath) && Number(claimed) === Number(inPath))

/** The first problem with a request, in one line: the field and what it must be. */
function parse(schema: z.ZodType, request: Record<string, unknown>): void {
  const parsed = schema.safeParse(request)
  if (parsed.success) return
  const issue = parsed.error.issues[0]
  const field = issue.path.join('.')
  const what =
    issue.code === 'unrecognized_keys'
      ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`
      : `${field ? `${field}: ` : ''}${issue.message}`
  throw badInput(`invalid request: ${what} (see /openapi.json)`)
}
