import {chmodSync, rmSync} from 'node:fs'
import http from 'node:http'
import type net from 'node:net'
import type stream from 'node:stream'

import {badInput, Exit, GdError, type ExitCode} from '../../errors.js'
import type {Log} from '../../runtime/log.js'
import {listen, MAX_SOCKET_PATH} from '../listen.js'
import type {TokenProblem} from '../../bus/walls.js'
import {eventStream, type EventStream} from './eventStream.js'
import {nextRequest} from './nextRequest.js'
import {requestContext, type RequestContext} from './requestContext.js'
import {traceOf, traceparent} from './trace.js'
import type {Answer, Route} from './route.js'

/** Request bodies beyond this are refused (413): no command needs more than a few hundred bytes. */
export const MAX_BODY_BYTES = 64 * 1024
const TOO_LARGE = 'TOO_LARGE'

/** The HTTP status of each exit code (docs/http-api.md). */
export const statusOfExit: Record<number, number> = {
  [Exit.badInput]: 400,
  [Exit.refused]: 409,
  [Exit.notFound]: 404,
  [Exit.unavailable]: 503,
}

/** The request's target; one a URL cannot be made of (`//x:y`) is the client's mistake. */
function requestUrl(target: string): URL {
  try {
    return new URL(target, 'http://gateway')
  } catch {
    throw new GdError('BAD_INPUT', `not a path the gateway can read: ${JSON.stringify(target.slice(0, 100))}`, Exit.badInput)
  }
}

/** A path parameter as text; a malformed percent-escape is the client's mistake, not ours. */
function decodeParam(name: string, raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    throw new GdError('BAD_INPUT', `${name} has a malformed percent-escape: "${raw}"`, Exit.badInput)
  }
}

export interface Gateway {
  /** TCP on 127.0.0.1 */
  httpPort: number
  /** the Unix socket the CLI uses, unless its path is too long for one */
  socket?: string
  close(): Promise<void>
}

interface CompiledRoute {
  route: Route
  pattern: RegExp
  names: string[]
}

/** `/items/{itemNo}` → a pattern with one capture per parameter. */
function compile(route: Route): CompiledRoute {
  const names: string[] = []
  const source = route.path.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))
  return {route, pattern: new RegExp(`^${source}$`), names}
}

const failure = (error: GdError): Answer => ({
  status: error.code === TOO_LARGE ? 413 : (statusOfExit[error.exit] ?? 500),
  // a refusal that a moment may cure: the original's clients retried after Retry-After
  headers: error.exit === Exit.unavailable ? {'Retry-After': '1'} : undefined,
  body: errorBody(error),
})

/** The JSON error: what went wrong, and the next step as data with the HTTP request that takes it. */
const errorBody = ({code, message, next}: GdError) => {
  const request = next && nextRequest(next)
  return {error: {code, message, ...(next ? {next} : {}), ...(request ? {nextRequest: request} : {})}}
}

/**
 * Paths any client may ask without a token: the probes and the metrics, which tell counts and no
 * customer's data and change nothing (a kubelet and Prometheus hold no token; docs/deploy.md).
 */
export const OPEN_PATHS = new Set(['/healthz', '/readyz', '/metrics'])

const unauthorized = (code: string, message: string, challenge = 'Bearer'): Answer => ({
  status: 401,
  headers: {'WWW-Authenticate': challenge},
  body: errorBody(new GdError(code, message, Exit.badInput, {command: 'token'})),
})

/**
 * The 401 for each way a request on the TCP port can lack the token. A token that is not this
 * stack's is most often the one of an earlier `up`, so it says where the current one is; the
 * challenge names `invalid_token` only when a token was sent (RFC 6750, section 3).
 */
const tokenRefusals: Record<TokenProblem, Answer> = {
  none: unauthorized('UNAUTHORIZED', "the gateway's TCP port wants the stack's token: send `Authorization: Bearer TOKEN`"),
  notBearer: unauthorized('UNAUTHORIZED', "the gateway's TCP port takes the stack's token as `Authorization: Bearer TOKEN`, not in another scheme"),
  notThisStack: unauthorized(
    'INVALID_TOKEN',
    "that token is not this stack's: a new one is made each time the stack starts; send the current one",
    'Bearer error="invalid_token"',
  ),
}

/** Query parameters a route does not take are refused, as unknown body fields are: `GET /items?itemName=Camera` filters nothing. */
function checkQuery(route: Route, query: URLSearchParams): void {
  const known = Object.keys(route.query ?? {})
  const unknown = [...new Set(query.keys())].filter((name) => !known.includes(name))
  if (unknown.length === 0) return
  const takes = known.length > 0 ? `it takes ${known.join(', ')}` : 'it takes none'
  throw badInput(`unknown query parameter ${unknown.map((name) => JSON.stringify(name)).join(', ')} for ${route.method} ${route.path}: ${takes} (see /openapi.json)`)
}

/** Sees every answered request: its method, the route it matched (`none`), its status and how long it took. */
export type ObserveRequest = (method: string, route: string, status: number, seconds: number) => void

export interface GatewayDoors {
  /** the TCP port's address: 127.0.0.1, or where a gateway alone on its host serves others (setting httpHost) */
  host?: string
  port: number
  socketPath: string
  /** what a request on the TCP port lacks, if anything (the Unix socket is guarded by its file mode) */
  tokenProblem?: (req: http.IncomingMessage) => TokenProblem | undefined
  observe?: ObserveRequest
}

/**
 * The gateway's HTTP server: node:http and a table of routes (docs/architecture.md, "The
 * gateway": why not a framework). It listens on a Unix socket in run/ (mode 0600: the CLI's door)
 * and on TCP 127.0.0.1:httpPort (which wants the stack's token unless opened on purpose).
 */
export async function startGateway(routes: Route[], where: GatewayDoors, log: Log): Promise<Gateway> {
  const doors: Doors = {table: routes.map(compile), where, streams: new Map<http.ServerResponse, EventStream>(), log}
  const {streams} = doors
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse, context: RequestContext, guarded: boolean) => {
    const began = performance.now()
    // before the route runs: a stream's headers go out from inside it
    res.setHeader('traceparent', traceparent(context.trace))
    const answer = await answerFor(req, res, doors, guarded)
    const seconds = () => (performance.now() - began) / 1000
    if (answer === undefined || res.headersSent) {
      // a stream, answered on its own, or a client that went away
      if (res.headersSent) where.observe?.(req.method ?? '', context.route ?? 'none', res.statusCode, seconds())
      return void (answer === undefined || streams.has(res) || res.end())
    }
    sendAnswer(req, res, answer, performance.now() - began - context.ms, context.ms)
    where.observe?.(req.method ?? '', context.route ?? 'none', answer.status, seconds())
  }
  const servers: http.Server[] = []
  const serve = (guarded: boolean) => {
    const server = http.createServer({noDelay: true}, (req, res) => {
      const context: RequestContext = {ms: 0, active: 0, since: 0, trace: traceOf(req.headers.traceparent)}
      requestContext.run(context, () => handle(req, res, context, guarded)).catch((error: Error) => {
        // only a broken response can get here: never let one request take the stack down
        log.error(`${req.method} ${req.url} could not be answered: ${error.message}`)
        res.destroy()
      })
    })
    // a request node cannot parse (a lowercase method, headers too large) gets the JSON error too
    server.on('clientError', answerUnreadable)
    servers.push(server)
    return server
  }

  await listen(serve(true), {port: where.port, host: where.host ?? '127.0.0.1'})
  const httpPort = ((servers[0].address() as net.AddressInfo)).port
  let socket: string | undefined
  if (Buffer.byteLength(where.socketPath) <= MAX_SOCKET_PATH) {
    rmSync(where.socketPath, {force: true}) // left by a supervisor that was killed; only one stack runs per data dir
    await listen(serve(false), {path: where.socketPath})
    chmodSync(where.socketPath, 0o600) // the socket's mode is its lock: only this user's processes get in
    socket = where.socketPath
  }
  return {
    httpPort,
    socket,
    async close() {
      // a reader that does not take the end is cut after a grace: it must not hold the stack's stop
      for (const stream of streams.values()) stream.end()
      await Promise.all(
        servers.map((server) => {
          const closed = new Promise<void>((resolve) => server.close(() => resolve()))
          server.closeIdleConnections()
          return closed
        }),
      )
    },
  }
}

/** What every request is answered from: the compiled routes, the doors' settings, the open event streams. */
interface Doors {
  table: CompiledRoute[]
  where: GatewayDoors
  streams: Map<http.ServerResponse, EventStream>
  log: Log
}

/**
 * The answer to one request, in the JSON error format whatever it holds: nothing it sends can
 * throw past here. Undefined when the route answers as a stream, or the client went away.
 */
async function answerFor(req: http.IncomingMessage, res: http.ServerResponse, {table, where, streams, log}: Doors, guarded: boolean): Promise<Answer | undefined> {
  let pathname = req.url ?? '/'
  try {
    const url = requestUrl(req.url ?? '/')
    pathname = url.pathname
    // HEAD is GET without the body (node leaves the body out): probes use it
    const method = req.method === 'HEAD' ? 'GET' : req.method
    const matches = table.filter((r) => r.pattern.test(url.pathname))
    const match = matches.find((r) => r.route.method === method)
    const context = requestContext.getStore()
    if (context && match) context.route = match.route.path
    const tokenProblem = guarded && !OPEN_PATHS.has(url.pathname) ? where.tokenProblem?.(req) : undefined
    if (tokenProblem || !match) {
      req.resume()
      return tokenProblem ? tokenRefusals[tokenProblem] : noRoute(req, url.pathname, matches)
    }
    const groups = match.pattern.exec(url.pathname)!.slice(1)
    const params = Object.fromEntries(match.names.map((name, i) => [name, decodeParam(name, groups[i])]))
    checkQuery(match.route, url.searchParams)
    const body = await readJson(req)
    return await match.route.handle({params, query: url.searchParams, body, stream: () => openStream(res, streams)})
  } catch (error) {
    if (req.destroyed && !(error instanceof GdError)) return undefined // the client went away in the middle of its body: nobody to answer
    if (error instanceof GdError) return failure(error)
    log.error(`${req.method} ${pathname} failed: ${(error as Error).stack ?? error}`)
    return {status: 500, body: errorBody(new GdError('INTERNAL', `the gateway failed: ${(error as Error).message}; the supervisor's log says more`, 1 as ExitCode, {command: 'logs', service: 'supervisor'}))}
  }
}

/** 405 with the methods the path takes, or 404 when no route has the path at all. */
function noRoute(req: http.IncomingMessage, pathname: string, matches: CompiledRoute[]): Answer {
  if (matches.length === 0) return {status: 404, body: {error: {code: 'NO_ROUTE', message: `no route ${req.method} ${pathname}; see GET /openapi.json`}}}
  const allowed = [...new Set(matches.map((r) => r.route.method))].join(', ')
  return {status: 405, headers: {Allow: allowed}, body: {error: {code: 'METHOD_NOT_ALLOWED', message: `${pathname} takes ${allowed}, not ${req.method}`}}}
}

/** Writes an answer as JSON, with what the gateway itself spent and what the services took (docs/performance.md). */
function sendAnswer(req: http.IncomingMessage, res: http.ServerResponse, answer: Answer, ownMs: number, servicesMs: number): void {
  const text = answer.text ?? JSON.stringify(answer.body)
  res.writeHead(answer.status, {
    'Content-Type': answer.text === undefined ? 'application/json' : 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Server-Timing': `gateway;dur=${ownMs.toFixed(3)}, services;dur=${servicesMs.toFixed(3)}`,
    // a body too big is not read to its end: the connection goes with the answer
    ...(answer.status === 413 ? {Connection: 'close'} : {}),
    ...answer.headers,
  })
  res.end(text)
  if (answer.status === 413) req.destroy()
}

/** A request node cannot parse (a lowercase method, headers too large): the JSON error on the raw socket. */
function answerUnreadable(error: NodeJS.ErrnoException, socket: stream.Duplex): void {
  if (!socket.writable) return void socket.destroy()
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW'
  const status = tooLarge ? 431 : 400
  const text = JSON.stringify({
    error: tooLarge
      ? {code: 'HEADERS_TOO_LARGE', message: "the request's headers are larger than the gateway reads (16 KiB); send fewer or shorter ones"}
      : {code: 'BAD_REQUEST', message: 'not an HTTP request the gateway can read; check its request line and headers'},
  })
  socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`)
}

/** The body as JSON (none is `undefined`); too big, not UTF-8 or not JSON is the client's mistake. */
async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (declared > MAX_BODY_BYTES) {
    req.resume()
    throw new GdError(TOO_LARGE, `the request body is over ${MAX_BODY_BYTES} bytes; no command needs that much`, Exit.badInput)
  }
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_BODY_BYTES) throw new GdError(TOO_LARGE, `the request body is over ${MAX_BODY_BYTES} bytes; no command needs that much`, Exit.badInput)
    chunks.push(chunk)
  }
  if (size === 0) return undefined
  const type = req.headers['content-type'] ?? ''
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new GdError('BAD_CONTENT_TYPE', `send the body as JSON (Content-Type: application/json), not "${type || 'none'}"`, Exit.badInput)
  }
  let text: string
  try {
    // fatal: bytes that are not UTF-8 are refused, not stored as U+FFFD in someone's name
    text = new TextDecoder('utf-8', {fatal: true}).decode(Buffer.concat(chunks))
  } catch {
    throw new GdError('BAD_ENCODING', 'the request body is not valid UTF-8; send JSON in UTF-8 (RFC 8259)', Exit.badInput)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new GdError('BAD_JSON', `the request body is not valid JSON (${(error as Error).message})`, Exit.badInput)
  }
}

/** Server-sent events on this response, until the client goes, is dropped, or the gateway closes. */
function openStream(res: http.ServerResponse, streams: Map<http.ServerResponse, EventStream>): EventStream {
  res.writeHead(200, {'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive'})
  res.flushHeaders()
  const stream = eventStream(res)
  streams.set(res, stream)
  res.once('close', () => streams.delete(res))
  return stream
}
