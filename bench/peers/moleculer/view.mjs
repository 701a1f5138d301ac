// @ts-check
/**
 * The view projector on Moleculer: the read model (src/services/view/itemView.ts), built from every
 * event of the three services. The cycle reads nothing from it; it is there so that, as in
 * gdmarket, every event has its followers' work to do before a cycle counts as settled.
 */
import {evolveView, initialViewState} from '../../../dist/services/view/itemView.js'
import {applying} from './serviceState.mjs'

/** @type {import('./serviceState.mjs').Domain<any>} */
export const domain = {name: 'view', initialState: initialViewState, evolve: evolveView}

/** every event of item, reservation and payment (src/bus/events.ts) */
export const listensTo = [
  ...['ItemRegistered', 'ItemDeleted', 'ItemRented', 'ItemReturned'].map((type) => `item.${type}`),
  ...['Reserved', 'ReservationCancelled', 'RentalStarted', 'RefundRequested'].map((type) => `reservation.${type}`),
  ...['PaymentApproved', 'PaymentCancelled'].map((type) => `payment.${type}`),
]

/** @param {import('./serviceState.mjs').ServiceState<any>} state */
export function viewService(state) {
  return {name: 'view', events: applying(state, listensTo)}
}
