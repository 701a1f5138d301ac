/**
 * Entry point of one daemon process, forked by the supervisor: `main.js <name> <data-dir>`.
 */
import type {DaemonName} from '../bus/topics.js'
import {runService} from '../runtime/daemon.js'
import type {ServiceDefinition} from '../runtime/service.js'
import {itemService} from './item/daemon.js'
import {paymentService} from './payment/daemon.js'
import {reservationService} from './reservation/daemon.js'
import {viewProjector} from './view/daemon.js'

const definitions: Record<DaemonName, ServiceDefinition<never>> = {
  item: itemService,
  reservation: reservationService,
  payment: paymentService,
  view: viewProjector,
} as unknown as Record<DaemonName, ServiceDefinition<never>>

const [name, root] = process.argv.slice(2) as [DaemonName, string]
if (!definitions[name] || !root) {
  console.error(`usage: main.js <${Object.keys(definitions).join('|')}> <data-dir>`)
  process.exit(2)
}
await runService(definitions[name], root)
