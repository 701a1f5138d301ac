// @ts-check
/**
 * One Moleculer node of the peer, as its own process: `node.mjs <role> <broker address JSON> <dir>`
 * with role item, reservation, payment, view (one service each, its store in <dir>) or gateway
 * (moleculer-web on <dir>/gateway.sock). Every node speaks Moleculer's MQTT transporter to the
 * bench's aedes broker over its Unix socket, as gdmarket's daemons reach theirs. It says `ready`
 * over IPC once every service it sends to is known, answers the bench's `progress`, and stops
 * (store flushed) when the bench closes the channel.
 */
import path from 'node:path'

import Moleculer from 'moleculer'
import ApiGateway from 'moleculer-web'

import {serveParent} from '../../parentChannel.mjs'
import {gatewayService} from './gateway.mjs'
import * as item from './item.mjs'
import * as payment from './payment.mjs'
import * as reservation from './reservation.mjs'
import {ServiceState} from './serviceState.mjs'
import * as view from './view.mjs'

/** the four services, each with its domain and its Moleculer schema */
const services = {
  item: {...item, schema: item.itemService},
  reservation: {...reservation, schema: reservation.reservationService},
  payment: {...payment, schema: payment.paymentService},
  view: {...view, schema: view.viewService},
}
const SERVICE_NAMES = Object.keys(services)

const [role, addressJson, dir] = process.argv.slice(2)
/** @type {{port: number, socket?: string}} */
const address = JSON.parse(addressJson ?? '{}')
if (!(role === 'gateway' || role in services) || !address.socket || !dir) {
  console.error('usage: node.mjs item|reservation|payment|view|gateway <broker address JSON with its socket> <dir>')
  process.exit(2)
}

const broker = new Moleculer.ServiceBroker({
  nodeID: role,
  namespace: 'gdmarket-bench',
  transporter: {type: 'MQTT', options: {protocol: 'mqtt', unixSocket: true, path: address.socket, protocolVersion: 4}},
  // its warnings include every disconnect at the end of a run; errors are what matter here
  logger: {type: 'Console', options: {level: 'error'}},
  // gdmarket's requestTimeoutMs default (src/config.ts); payment's own is set at its call
  requestTimeout: 5000,
  circuitBreaker: {enabled: true},
  skipProcessEventRegistration: true,
})

/** @type {ServiceState<any> | undefined} */
let state
if (role === 'gateway') {
  broker.createService(gatewayService(path.join(dir, 'gateway.sock')))
} else {
  const service = services[/** @type {keyof typeof services} */ (role)]
  state = await ServiceState.open(service.domain, dir)
  broker.createService(service.schema(/** @type {any} */ (state)))
}
await broker.start()
// an event emitted before its subscribers are known goes nowhere: every node waits for all of them
await broker.waitForServices(SERVICE_NAMES, 30_000)

serveParent({progress: () => state?.progress() ?? {emitted: {}, received: {}}}, async () => {
  await broker.stop()
  await state?.close()
})
process.send?.({
  ready: true,
  listensTo: state?.listensTo ?? [],
  versions: {moleculer: Moleculer.ServiceBroker.MOLECULER_VERSION, moleculerWeb: ApiGateway.metadata?.$package?.version ?? null},
})
