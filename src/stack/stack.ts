import {daemons, SUPERVISOR, type DaemonName} from '../bus/topics.js'
import {loadSettings, type Settings} from '../config.js'
import type {GdError} from '../errors.js'
import type {NextStep} from '../nextStep.js'
import {dataDir, makePrivate, type DataDir} from '../paths.js'
import {createLog} from '../runtime/log.js'
import {startBroker, type Broker} from './broker.js'
import {brokerProblem, connectExternalBroker} from './brokerClient.js'
import {EventFrontier} from './gateway/frontier.js'
import type {Gateway} from './gateway/server.js'
import {gatewayOnBroker, openGateway, stopOnSignals} from './gatewayDoors.js'
import {cannotListen} from './listen.js'
import {removeStackFile} from '../stackFile.js'
import {Supervisor} from './supervisor.js'
import {authenticate, mayPublish, maySubscribe, newCredentials, noBrokerPasswords, readBrokerPasswords, writeCredentials, type Credentials, type Role} from '../bus/walls.js'

/** What the supervisor tells whoever started it (over IPC for `up`, or a callback in the foreground). */
export type StartOutcome =
  | {type: 'ready'; port: number; httpPort: number; pid: number; errored?: {name: string; message: string; next?: NextStep}[]}
  | {type: 'failed'; message: string; next?: NextStep}

/**
 * The stack of one data directory, in one process: the embedded broker, the supervisor that runs
 * the daemons, and the HTTP gateway in front of them. The gateway lives beside the broker so that
 * it sees every event the broker accepts before anyone is told of it (the frontier it stamps on
 * requests), and sends its requests into the broker without a connection of its own.
 */
export async function runStack(root: string, flags: {port?: number; httpPort?: number}, notify: (outcome: StartOutcome) => void): Promise<void> {
  const dir = dataDir(root)
  makePrivate(dir)
  const log = createLog(SUPERVISOR)
  const startedAt = Date.now()
  const {values: settings} = loadSettings(dir.configFile, flags)
  const frontier = new EventFrontier()
  const onBroker = await startStackBroker(dir, settings, frontier)
  if ('failed' in onBroker) return notify({type: 'failed', message: onBroker.failed})
  const {broker, credentials} = onBroker
  log.info(broker.url ? `on the broker at ${broker.url} (data dir ${dir.root})` : `broker listening on 127.0.0.1:${broker.port} (data dir ${dir.root})`)
  const supervisor = new Supervisor(dir, settings, broker, log, (topic, payload) => broker.publish(topic, payload, {retain: true}))
  await supervisor.announceAllOffline(daemons)
  const {requester, followers, poison} = await gatewayOnBroker(broker, log)

  let gateway: Gateway | undefined
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
  const opened = await openGateway({dir, log, broker, processes: supervisor, settings, requester, frontier, followers, poison, startedAt, shutdown, httpToken: credentials.httpToken})
  if ('failed' in opened) {
    notify({type: 'failed', message: opened.failed})
    await broker.close()
    return
  }
  gateway = opened

  // one process holds the broker, the gateway and the supervisor: a bug in one request must not end them all
  stopOnSignals(shutdown, log)
  const started = await startDaemons(supervisor)
  if ('failed' in started) {
    notify({type: 'failed', message: started.failed, next: started.next})
    return shutdown('a service failed to start', 1)
  }
  const {errored} = started
  log.info(errored.length === 0 ? `all services ready in ${Date.now() - startedAt} ms` : `up, but errored: ${errored.map((e) => e.name).join(', ')}`)
  notify({type: 'ready', port: broker.port, httpPort: gateway.httpPort, pid: process.pid, errored})
}

/**
 * The stack's broker and the credentials its processes log in with (run/credentials.json, read by
 * the daemons): the embedded one with new credentials at every start (whoever held the last ones
 * holds nothing now), or the external `brokerUrl` with the passwords its files were written for.
 */
async function startStackBroker(dir: DataDir, settings: Settings, frontier: EventFrontier): Promise<{broker: Broker; credentials: Credentials} | {failed: string}> {
  if (!settings.brokerUrl) {
    const credentials = newCredentials()
    writeCredentials(dir.credentialsFile, credentials)
    try {
      return {broker: await startWalledBroker(settings.port, dir.brokerSocket, credentials, frontier), credentials}
    } catch (error) {
      // nothing runs yet: the one line says which port and how to choose another
      return {failed: cannotListen('the MQTT broker', settings.port, error, '--port N or the setting port')}
    }
  }
  const passwords = readBrokerPasswords(dir.brokerCredentialsFile)
  if (!passwords) return {failed: noBrokerPasswords(dir.brokerCredentialsFile)}
  const credentials = {...passwords, httpToken: newCredentials().httpToken}
  writeCredentials(dir.credentialsFile, credentials)
  const url = settings.brokerUrl
  try {
    const onAccepted = (topic: string, payload: Buffer) => frontier.observe(topic, payload)
    return {broker: await connectExternalBroker({url, caFile: settings.brokerCaFile || undefined, password: passwords.gateway, onAccepted}), credentials}
  } catch (error) {
    return {failed: brokerProblem({url, caFile: settings.brokerCaFile || undefined}, error as Error, '--broker-ca-file (or the setting brokerCaFile)')}
  }
}

/** The embedded broker behind the walls: the stack's credentials and topic ownership table, the frontier watching. */
const startWalledBroker = (port: number, socket: string, credentials: Credentials, frontier: EventFrontier) =>
  startBroker(port, socket, (topic, payload) => frontier.observe(topic, payload), {
    authenticate: (clientId, username, password) => authenticate(credentials, clientId, username, password),
    mayPublish: (role, topic) => mayPublish(role as Role, topic),
    maySubscribe: (role, filter, clientId) => maySubscribe(role as Role, filter, clientId),
  })

/** Starts every daemon. A store behind its followers is recovered from them, through this stack: it stays up for that. */
async function startDaemons(supervisor: Supervisor): Promise<{failed: string; next?: NextStep} | {errored: {name: DaemonName; message: string; next?: NextStep}[]}> {
  const started = await Promise.allSettled(daemons.map((name: DaemonName) => supervisor.start(name)))
  const failures = started.flatMap((r, i) => (r.status === 'rejected' ? [{name: daemons[i], error: r.reason as Error}] : []))
  const behind = failures.filter((f) => (f.error as {code?: string}).code === 'STORE_BEHIND')
  const failed = failures.find((f) => !behind.includes(f))
  return failed ? {failed: failed.error.message, next: (failed.error as GdError).next} : {errored: behind.map((f) => ({name: f.name, message: f.error.message, next: (f.error as GdError).next}))}
}
