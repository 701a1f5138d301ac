import {z} from 'zod'

import {notFound} from '../../errors.js'
import {parseBody, type ServiceDefinition} from '../../runtime/service.js'
import {evolveView, initialViewState, viewRows, type ViewRow, type ViewState} from './itemView.js'
import {followsOf} from '../../bus/topics.js'

const itemNo = z.object({itemNo: z.number().int().positive()})

function findRow(state: ViewState, no: number): ViewRow {
  const row = state.rows[no]
  if (!row) throw notFound('ITEM_NOT_FOUND', `item ${no} is not in the view; list it with \`gdmarket view\``)
  return row
}

/** The read-side projector: fed only by events, it answers `gdmarket view`. */
export const viewProjector: ServiceDefinition<ViewState> = {
  name: 'view',
  initialState: initialViewState,
  follows: [...followsOf.view],
  evolve: evolveView,
  handlers: ({read}) => ({
    list: async () => read(viewRows),
    show: async (body) => read((state) => findRow(state, parseBody(itemNo, body).itemNo)),
  }),
}
