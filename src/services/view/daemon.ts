import {followsOf} from '../../bus/topics.js'
import {contract} from '../../contract/index.js'
import {notFound} from '../../errors.js'
import type {ServiceDefinition} from '../../runtime/service.js'
import {evolveView, initialViewState, type ViewRow, type ViewState} from './itemView.js'
import {searchOf, searchRows} from './search.js'

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
  handlers: ({read, settings}) => ({
    list: async (filters) => {
      const search = searchOf(filters, settings.home)
      return read((state) => ({_embedded: {itemInfoes: searchRows(state, search)}}))
    },
    show: async ({itemNo}) => read((state) => findRow(state, itemNo)),
  }),
}
