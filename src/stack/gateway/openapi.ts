import {z} from 'zod'

import type {Route} from './route.js'
import {OPEN_PATHS} from './server.js'
import {errorShape} from '../../contract/stack.js'

const json = (schema: z.ZodType, io: 'input' | 'output') => ({'application/json': {schema: z.toJSONSchema(schema, {io, unrepresentable: 'any', target: 'draft-2020-12'})}})

/** The errors every route may answer, by the exit codes they stand for (docs/http-api.md). */
const errors = {
  '400': 'bad input (exit 2): a malformed body, an unknown field, a bad number',
  '404': 'not found (exit 4)',
  '409': 'refused by a rule (exit 3), or a field that contradicts the facts',
  '503': 'unavailable (exit 5): a service down or restarting, a timeout, the circuit open; see Retry-After',
}

/** The 401 of every route but the probes (docs/http-api.md, "The token"). */
const unauthorized = "no token on the TCP port (UNAUTHORIZED), or one that is not this stack's (INVALID_TOKEN: it changes each time the stack starts)"

/**
 * How a client gets in: the stack's bearer token (the CLI's token command prints it), on every route but the
 * probes. A client generated from this document sends it only because it is declared here.
 */
const bearerToken = {
  type: 'http',
  scheme: 'bearer',
  description:
    "The stack's token, new each time the stack starts: the CLI's token command prints it. Not needed on the Unix socket run/gateway.sock (its file mode is its lock), nor on a port opened on purpose with the setting httpAuth 0.",
}

/** An OpenAPI 3.1 document of the route table, with the same zod schemas that check the bodies. */
export function openApiDocument(routes: Route[], serverUrl: string): object {
  const paths: Record<string, Record<string, object>> = {}
  for (const route of routes) {
    const parameters = [
      ...[...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({
        name,
        in: 'path',
        required: true,
        schema: name === 'name' || name === 'action' ? {type: 'string'} : {type: 'integer', minimum: 1},
      })),
      ...Object.entries(route.query ?? {}).map(([name, description]) => ({name, in: 'query', required: false, description, schema: {type: 'string'}})),
    ]
    const responses: Record<string, object> = {
      [route.success.status]: {
        description: route.success.description,
        content: route.success.contentType ? {[route.success.contentType]: {schema: {type: 'string'}}} : json(route.success.shape, 'output'),
      },
    }
    for (const [status, description] of Object.entries(errors)) responses[status] = {description, content: json(errorShape, 'output')}
    const open = OPEN_PATHS.has(route.path)
    if (!open) responses['401'] = {description: unauthorized, content: json(errorShape, 'output')}
    paths[route.path] ??= {}
    paths[route.path][route.method.toLowerCase()] = {
      summary: route.summary,
      operationId: `${route.method.toLowerCase()}${route.path.replace(/\{(\w+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string = '') => c.toUpperCase())}`,
      ...(parameters.length > 0 ? {parameters} : {}),
      ...(route.body ? {requestBody: {required: true, content: json(route.body, 'input')}} : {}),
      // the probes answer anyone: an empty list overrides the document's security
      ...(open ? {security: []} : {}),
      responses,
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'gdmarket gateway',
      version: '1',
      description: "One door to the stack: the original system's REST paths and field names. Errors are {\"error\": {\"code\", \"message\"}}.",
      // as package.json's
      license: {name: 'MIT', identifier: 'MIT'},
    },
    servers: [{url: serverUrl}],
    security: [{bearerToken: []}],
    paths,
    components: {securitySchemes: {bearerToken}},
  }
}

/** The routes with the one that describes them all: GET /openapi.json, made from the same table. */
export function withOpenApi(routes: Route[], baseUrl: () => string): Route[] {
  const all: Route[] = [
    ...routes,
    {
      method: 'GET',
      path: '/openapi.json',
      summary: 'This API as an OpenAPI 3.1 document',
      success: {status: 200, description: 'the document', shape: z.looseObject({openapi: z.string()})},
      handle: async () => ({status: 200, body: openApiDocument(all, baseUrl())}),
    },
  ]
  return all
}
