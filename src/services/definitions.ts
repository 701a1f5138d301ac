import type {DaemonName} from '../bus/topics.js'
import type {ServiceDefinition} from '../runtime/service.js'
import {itemService} from './item/daemon.js'
import {paymentService} from './payment/daemon.js'
import {reservationService} from './reservation/daemon.js'
import {viewProjector} from './view/daemon.js'

/** Every daemon's definition by name: what main.ts runs, what `service run NAME` runs alone on its host, and what `store migrate` replays a store with. */
export const definitions: Record<DaemonName, ServiceDefinition<never>> = {
  item: itemService,
  reservation: reservationService,
  payment: paymentService,
  view: viewProjector,
} as unknown as Record<DaemonName, ServiceDefinition<never>>
