import {followsOf} from '../../bus/topics.js'
import {dayIn, type Day} from '../../calendar.js'
import {timeZoneOf} from '../../config.js'
import {contract} from '../../contract/index.js'
import {notFound} from '../../errors.js'
import type {ServiceDefinition} from '../../runtime/service.js'
import type {ReadView} from '../state.js'
import {evolveView, initialViewState, rowOn, type ViewRow, type ViewState} from './itemView.js'
import {searchOf, searchRows} from './search.js'

function findRow(state: ReadView<ViewState>, no: number, day: Day): ViewRow {
  const row = state.rows[no]
  if (!row) throw notFound('ITEM_NOT_FOUND', `item ${no} is not in the view; see the view`, {command: 'view.list'})
  return rowOn(row, day)
}

/** The read-side projector: fed only by events, it answers the view's reads, as they stand today. */
export const viewProjector: ServiceDefinition<ViewState, typeof contract.view> = {
  name: 'view',
  commands: contract.view,
  initialState: initialViewState,
  follows: [...followsOf.view],
  evolve: evolveView,
  handlers: ({read, settings}) => {
    const today = () => dayIn(timeZoneOf(settings))
    return {
      list: async (filters) => {
        const search = searchOf(filters, settings.home)
        const day = today()
        return read((state) => ({_embedded: {itemInfoes: searchRows(state, search, day)}}))
      },
      show: async ({itemNo}) => {
        const day = today()
        return read((state) => findRow(state, itemNo, day))
      },
    }
  },
}
