import writeFileAtomic from 'write-file-atomic'

import {newCredentials, noRolePassword, readRolePassword} from '../bus/walls.js'
import {loadSettings} from '../config.js'
import {dataDir, makePrivate} from '../paths.js'
import {createLog} from '../runtime/log.js'
import {removeStackFile} from '../stackFile.js'
import {brokerProblem, connectExternalBroker} from './brokerClient.js'
import {EventFrontier} from './gateway/frontier.js'
import {gatewayOnBroker, openGateway, stopOnSignals} from './gatewayDoors.js'
import {RemoteProcesses} from './remoteProcesses.js'

/** How a gateway alone on its host starts: listening, or the one line why not. */
export type AloneOutcome = {type: 'ready'; httpPort: number} | {type: 'failed'; message: string}

/**
 * `gateway run` (docs/deploy.md): the gateway alone on its host, a client of the external broker
 * like any other. It keeps its frontier from the events and liveness it reads there
 * (brokerClient.ts says why that still covers every change anyone was told of), and knows the
 * services from their liveness (remoteProcesses.ts). Logs are JSON lines on stdout; SIGTERM
 * closes its doors and its connection, and exits 0.
 */
export async function runGatewayAlone(root: string, notify: (outcome: AloneOutcome) => void): Promise<void> {
  const dir = dataDir(root)
  makePrivate(dir)
  const log = createLog('gateway', undefined, 'json')
  const startedAt = Date.now()
  const {values: settings} = loadSettings(dir.configFile)
  const password = readRolePassword(dir.brokerCredentialsFile, 'gateway')
  // the command checked both; a file that went meanwhile is still said in one line
  if (!settings.brokerUrl) return notify({type: 'failed', message: 'the gateway runs alone on an external broker, and the setting brokerUrl is empty (docs/deploy.md)'})
  if (!password) return notify({type: 'failed', message: noRolePassword(dir.brokerCredentialsFile, 'gateway')})
  const frontier = new EventFrontier()
  const processes = new RemoteProcesses()
  const onAccepted = (topic: string, payload: Buffer) => (frontier.observe(topic, payload), processes.observe(topic, payload))
  let broker
  try {
    broker = await connectExternalBroker({url: settings.brokerUrl, caFile: settings.brokerCaFile || undefined, password, onAccepted})
  } catch (error) {
    return notify({type: 'failed', message: brokerProblem({url: settings.brokerUrl, caFile: settings.brokerCaFile || undefined}, error as Error, 'GDMARKET_BROKER_CA_FILE')})
  }
  log.info(`on the broker at ${settings.brokerUrl} (data dir ${dir.root})`)
  const {requester, followers, poison} = await gatewayOnBroker(broker, log)
  // a token of its own, new at each start as the stack's: the CLI on this host reads it (token), clients get it from there
  const {httpToken} = newCredentials()
  writeFileAtomic.sync(dir.credentialsFile, JSON.stringify({httpToken}) + '\n', {mode: 0o600})
  let closing: Promise<void> | undefined
  const shutdown = (why: string) =>
    (closing ??= (async () => {
      log.info(`shutting down: ${why}`)
      if (gateway && !('failed' in gateway)) await gateway.close()
      await broker.close()
      removeStackFile(dir.stackFile)
      log.info('stopped')
      process.exit(0)
    })())
  const gateway = await openGateway({dir, log, broker, processes, settings, requester, frontier, followers, poison, startedAt, shutdown, httpToken})
  if ('failed' in gateway) {
    await broker.close()
    return notify({type: 'failed', message: gateway.failed})
  }
  stopOnSignals(shutdown, log)
  notify({type: 'ready', httpPort: gateway.httpPort})
}
