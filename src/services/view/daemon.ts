import {followsOf} from '../../bus/topics.js'
import {contract} from '../../contract/index.js'
import {notFound} from '../../errors.js'
import type {ServiceDefinition} from '../../runtime/service.js'
import {evolveView, initialViewState, viewRows, type ViewRow, type ViewState} from './itemView.js'

function findRow(state: ViewState, no: number): ViewRow {
  const row = state.rows[no]
  if (!row) throw notFound('ITEM_NOT_FOUND', `item ${no} is not in the view; see the view`, {command: 'view.list'})
  return row
}

/** The read-side projector: fed only by events, it answers the view's reads. */
export const viewProjector: ServiceDefinition<ViewState, typeof contract.view> = {
  name: 'view',
  commands: contract.view,
  initialState: initialViewState,
  follows: [...followsOf.view],
  evolve: evolveView,
  handlers: ({read}) => ({
    list: async () => read((state) => ({_embedded: {itemInfoes: viewRows(state)}})),
    show: async ({itemNo}) => read((state) => findRow(state, itemNo)),
  }),
}
