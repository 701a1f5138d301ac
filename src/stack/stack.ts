import {chmodSync, mkdirSync} from 'node:fs'

import {z} from 'zod'

import {parseEnvelope, type Envelope} from '../bus/events.js'
import {Requester} from '../bus/rpc.js'
import {daemons, services, SUPERVISOR, topics, type DaemonName, type ServiceName} from '../bus/topics.js'
import {loadSettings} from '../config.js'
import {unavailable} from '../errors.js'
import {gatherHistory} from '../events/history.js'
import {matchesFilter} from '../events/order.js'
import {dataDir} from '../paths.js'
import {createLog} from '../runtime/log.js'
import {startBroker, type Broker} from './broker.js'
import {EventFrontier} from './gateway/frontier.js'
import {openApiDocument} from './gateway/openapi.js'
import {gatewayRoutes, type GatewayDeps} from './gateway/routes.js'
import {serviceTime, startGateway} from './gateway/server.js'
import {cannotListen} from './listen.js'
import {removeStackFile, writeStackFile} from './stackFile.js'
import {Supervisor} from './supervisor.js'
import {authenticate, mayPublish, maySubscribe, newCredentials, tokenProblem, writeCredentials, type Role} from './walls.js'

/** What the supervisor tells whoever started it (over IPC for `up`, or a callback in the foreground). */
export type StartOutcome =
  | {type: 'ready'; port: number; httpPort: number; pid: number; errored?: {name: string; message: string}[]}
  | {type: 'failed'; message: string}

/** The gateway's own reply topic: it is inside the broker's process and subscribes without a connection. */
const GATEWAY_REPLIES = topics.reply('gateway')

/**
 * The stack of one data directory, in one process: the embedded broker, the supervisor that runs
 * the daemons, and the HTTP gateway in front of them. The gateway lives beside the broker so that
 * it sees every event the broker accepts before anyone is told of it (the frontier it stamps on
 * requests), and sends its requests into the broker without a connection of its own.
 */
export async function runStack(root: string, flags: {port?: number; httpPort?: number}, notify: (outcome: StartOutcome) => void): Promise<void> {
  const dir = dataDir(root)
  // customer data lives here: only this user may look in (docs/guarantees.md)
  for (const folder of [dir.root, dir.runDir, dir.logsDir]) {
    mkdirSync(folder, {recursive: true, mode: 0o700})
    chmodSync(folder, 0o700)
  }
  const log = createLog(SUPERVISOR)
  const startedAt = Date.now()

  const {values: settings} = loadSettings(dir.configFile, flags)
  const frontier = new EventFrontier()
  const followers = new Set<(event: Envelope) => void>()
  // new credentials for every start: whoever held the last ones holds nothing now
  const credentials = newCredentials()
  writeCredentials(dir.credentialsFile, credentials)
  let broker: Broker
  try {
    broker = await startBroker(settings.port, dir.brokerSocket, (topic, payload) => frontier.observe(topic, payload), {
      authenticate: (clientId, username, password) => authenticate(credentials, clientId, username, password),
      mayPublish: (role, topic) => mayPublish(role as Role, topic),
      maySubscribe: (role, filter, clientId) => maySubscribe(role as Role, filter, clientId),
    })
  } catch (error) {
    // nothing runs yet: the one line says which port and how to choose another
    return notify({type: 'failed', message: cannotListen('the MQTT broker', settings.port, error, '--port N or the setting port')})
  }
  log.info(`broker listening on 127.0.0.1:${broker.port} (data dir ${dir.root})`)

  const supervisor = new Supervisor(dir, settings, broker, log, (topic, payload) => broker.publish(topic, payload, {retain: true}))
  await supervisor.announceAllOffline(daemons)

  const requester = new Requester(broker.publish, GATEWAY_REPLIES)
  let poison = 0
  await broker.subscribe(GATEWAY_REPLIES, (topic, payload) => {
    if (requester.handleReply(payload) !== 'malformed') return // a late reply: its caller got a timeout already
    poison++
    log.warn(`ignored a message on ${topic}: not a reply (${poison} so far)`)
  })
  await broker.subscribe(topics.eventsOf('+'), (_topic, payload) => {
    if (followers.size === 0) return
    const parsed = parseEnvelope(safeJson(payload))
    if (parsed.ok) for (const follower of followers) follower(parsed.envelope)
  })

  let shuttingDown = false
  const shutdown = async (why: string, exitCode = 0) => {
    if (shuttingDown) return
    shuttingDown = true
    log.info(`shutting down: ${why}`)
    await gateway?.close()
    await supervisor.stopAll()
    await broker.close()
    removeStackFile(dir.stackFile)
    log.info('stopped')
    process.exit(exitCode)
  }

  const call: GatewayDeps['call'] = async (target, command, body = {}) => {
    const refusal = supervisor.refusal(target)
    if (refusal) throw refusal
    return serviceTime(() =>
      requester.call(target, command, body, {
        timeoutMs: settings.requestTimeoutMs,
        after: frontier.snapshot(),
        onTimeout: () => unavailable('TIMEOUT', `the ${target} service did not answer within ${settings.requestTimeoutMs} ms; check \`gdmarket status\``),
      }),
    )
  }
  const status = () => ({
    port: broker.port,
    broker: {messages: {...broker.messages}},
    gateway: {
      httpPort: gateway?.httpPort ?? null,
      address: `http://127.0.0.1:${gateway?.httpPort}`,
      socket: gateway?.socket ?? null,
      auth: settings.httpAuth === 0 ? 'none' : 'token',
    },
    processes: [
      {
        name: SUPERVISOR,
        state: 'online',
        pid: process.pid,
        uptimeMs: Date.now() - startedAt,
        restarts: 0,
        lastExit: null,
        lastError: null,
        poisonMessages: poison,
        duplicates: 0,
      },
      ...supervisor.status(),
    ],
    breakers: supervisor.breakers(),
    deadLetters: supervisor.deadLetters(),
  })
  const deps: GatewayDeps = {
    call,
    status,
    notReady: () => supervisor.status().filter((p) => p.state !== 'online').map(({name, state}) => ({name, state})),
    operate: async (action, name) => (await supervisor[action](name), supervisor.status()),
    recover: (name) => supervisor.recover(name),
    down: () => {
      setImmediate(() => void shutdown('asked by a client'))
      return {pid: process.pid}
    },
    history: async ({sources, types, correlationId, limit}) => {
      // one type is filtered by the services themselves; several (and the rest) here
      const type = types?.length === 1 ? types[0] : undefined
      const leftOut: {source: string; message: string}[] = []
      const events = await gatherHistory(
        (target, command, body) => call(target as DaemonName, command, body as object),
        sources.filter((s): s is ServiceName => services.includes(s as ServiceName)),
        {type, correlationId, limit: types && types.length > 1 ? undefined : limit},
        (source, message) => leftOut.push({source, message}),
      )
      const kept = events.filter((e) => matchesFilter(e, {types, sources, correlationId}))
      return {events: limit === undefined ? kept : kept.slice(-limit), leftOut}
    },
    follow: (filter, send) => {
      const follower = (event: Envelope) => matchesFilter(event, filter) && send(event)
      followers.add(follower)
      return () => followers.delete(follower)
    },
  }
  const routes = gatewayRoutes(deps)
  routes.push({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This API as an OpenAPI 3.1 document',
    success: {status: 200, description: 'the document', shape: z.looseObject({openapi: z.string()})},
    handle: async () => ({status: 200, body: openApiDocument(routes, `http://127.0.0.1:${gateway?.httpPort}`)}),
  })
  let gateway: Awaited<ReturnType<typeof startGateway>> | undefined
  try {
    gateway = await startGateway(
      routes,
      {
        port: settings.httpPort,
        socketPath: dir.gatewaySocket,
        tokenProblem: settings.httpAuth === 0 ? undefined : (req) => tokenProblem(credentials, req.headers.authorization),
      },
      log,
    )
  } catch (error) {
    notify({type: 'failed', message: cannotListen('the HTTP gateway', settings.httpPort, error, '--http-port N or the setting httpPort')})
    await broker.close()
    return
  }
  writeStackFile(dir.stackFile, {
    pid: process.pid,
    port: broker.port,
    socket: broker.socket,
    httpPort: gateway.httpPort,
    httpSocket: gateway.socket,
    requestTimeoutMs: settings.requestTimeoutMs,
    stopTimeoutMs: settings.stopTimeoutMs,
    startedAt: new Date(startedAt).toISOString(),
  })
  log.info(`gateway listening on http://127.0.0.1:${gateway.httpPort}${gateway.socket ? ` and ${gateway.socket}` : ''}`)

  // one process holds the broker, the gateway and the supervisor: a bug in one request must not end them all
  process.on('unhandledRejection', (error) => log.error(`unhandled: ${(error as Error)?.stack ?? error}`))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))

  const started = await Promise.allSettled(daemons.map((name: DaemonName) => supervisor.start(name)))
  const failures = started.flatMap((r, i) => (r.status === 'rejected' ? [{name: daemons[i], error: r.reason as Error}] : []))
  // a store behind its followers is recovered from them, through this stack: it stays up for that
  const behind = failures.filter((f) => (f.error as {code?: string}).code === 'STORE_BEHIND')
  const failed = failures.find((f) => !behind.includes(f))
  if (failed) {
    notify({type: 'failed', message: failed.error.message})
    await shutdown('a service failed to start', 1)
    return
  }
  const errored = behind.map((f) => ({name: f.name, message: f.error.message}))
  log.info(errored.length === 0 ? `all services ready in ${Date.now() - startedAt} ms` : `up, but errored: ${errored.map((e) => e.name).join(', ')}`)
  notify({type: 'ready', port: broker.port, httpPort: gateway.httpPort, pid: process.pid, errored})
}

function safeJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString())
  } catch {
    return undefined
  }
}
