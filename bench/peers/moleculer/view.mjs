// @ts-check
/**
 * The view projector on Moleculer: the read model (src/services/view/itemView.ts), built from every
 * event of the three services (serviceState.mjs subscribes it). The cycle reads nothing from it; it is there so that, as in
 * gdmarket, every event has its followers' work to do before a cycle counts as settled.
 */
import {evolveView, initialViewState} from '../../../dist/services/view/itemView.js'

/** @type {import('./serviceState.mjs').Domain<any>} */
export const domain = {name: 'view', initialState: initialViewState, evolve: evolveView}

/** @param {import('./serviceState.mjs').ServiceState<any>} state */
export function viewService(state) {
  return {name: 'view', events: state.handlers()}
}
