import type {ServiceDefinition} from '../../runtime/service.js'
import {evolveView, initialViewState, viewRows, type ViewState} from './itemView.js'

/** The read-side projector: fed only by events, it answers `gdmarket view`. */
export const viewProjector: ServiceDefinition<ViewState> = {
  name: 'view',
  initialState: initialViewState,
  follows: ['item', 'reservation', 'payment'],
  evolve: evolveView,
  handlers: ({read}) => ({
    list: async () => read(viewRows),
  }),
}
