import type {IncomingMessage} from 'node:http'

import {parseEnvelope, type Envelope} from '../bus/events.js'
import {Requester} from '../bus/rpc.js'
import {topics} from '../bus/topics.js'
import {tokenProblem} from '../bus/walls.js'
import type {DataDir} from '../paths.js'
import type {Log} from '../runtime/log.js'
import {writeStackFile} from '../stackFile.js'
import type {Broker} from './broker.js'
import {gatewayDeps, stackMetrics, type StackParts} from './gatewayDeps.js'
import {withOpenApi} from './gateway/openapi.js'
import {gatewayRoutes} from './gateway/routes.js'
import {startGateway, type Gateway} from './gateway/server.js'
import {cannotListen} from './listen.js'

/** The gateway's own reply topic (on the embedded broker it subscribes in-process, without a connection). */
const GATEWAY_REPLIES = topics.reply('gateway')

/**
 * The gateway on the stack's parts, under a supervisor (stack.ts) or alone on its host
 * (gatewayAlone.ts): its routes with /openapi.json and /metrics, the token check of its TCP port,
 * and run/stack.json, by which the CLI on this host finds it. The one line why when it cannot listen.
 */
export async function openGateway(parts: Omit<StackParts, 'gateway' | 'metrics'> & {dir: DataDir; log: Log; httpToken: string}): Promise<Gateway | {failed: string}> {
  const {dir, log, settings, broker, startedAt} = parts
  let gateway: Gateway | undefined
  const metrics = stackMetrics(parts)
  const deps = gatewayDeps({...parts, gateway: () => gateway, metrics})
  const routes = withOpenApi(gatewayRoutes(deps), () => `http://127.0.0.1:${gateway?.httpPort}`)
  const tokenCheck = settings.httpAuth === 0 ? undefined : (req: IncomingMessage) => tokenProblem(parts, req.headers.authorization)
  const doors = {host: settings.httpHost, port: settings.httpPort, socketPath: dir.gatewaySocket, tokenProblem: tokenCheck, observe: metrics.observe}
  try {
    gateway = await startGateway(routes, doors, log)
  } catch (error) {
    return {failed: cannotListen('the HTTP gateway', settings.httpPort, error, '--http-port N or the setting httpPort')}
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
  log.info(`gateway listening on http://${settings.httpHost}:${gateway.httpPort}${gateway.socket ? ` and ${gateway.socket}` : ''}`)
  return gateway
}

/** The gateway's side of the broker: its replies, and every event for the live followers (GET /events?follow=true). */
export async function gatewayOnBroker(broker: Broker, log: Log) {
  const requester = new Requester((topic, payload) => broker.publish(topic, payload), GATEWAY_REPLIES) // requests only: QoS 1
  const followers = new Set<(event: Envelope) => void>()
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
  return {requester, followers, poison: () => poison}
}

/** Stops gracefully on SIGTERM and SIGINT; a bug in one request must not end the process. */
export function stopOnSignals(shutdown: (why: string) => Promise<void>, log: Log): void {
  process.on('unhandledRejection', (error) => log.error(`unhandled: ${(error as Error)?.stack ?? error}`))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

function safeJson(payload: Buffer): unknown {
  try {
    return JSON.parse(payload.toString())
  } catch {
    return undefined
  }
}
