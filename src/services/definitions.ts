import type {DaemonName} from '../bus/topics.js'
import type {ServiceDefinition} from '../runtime/service.js'
import {itemService} from './item/daemon.js'
import {paymentService} from './payment/daemon.js'
import {reservationService} from './reservation/daemon.js'
import {viewProjector} from './view/daemon.js'

/** Each daemon's definition: forked by the supervisor (main.ts), or run alone on its host (`service run NAME`). */
export const definitions: Record<DaemonName, ServiceDefinition<never>> = {
  item: itemService,
  reservation: reservationService,
  payment: paymentService,
  view: viewProjector,
} as unknown as Record<DaemonName, ServiceDefinition<never>>
