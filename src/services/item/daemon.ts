import {z} from 'zod'

import {newCorrelationId, parseBody, type ServiceDefinition} from '../../runtime/service.js'
import {decideItem, findItem} from './decide.js'
import {evolveItem, initialItemState, publicItem, type ItemState, type PublicItem} from './item.js'

// request bodies: built once (a zod schema costs far more to build than to check a body against)
const itemNo = z.object({itemNo: z.number().int().positive()})
const newItem = z.object({itemName: z.string().trim().min(1), itemPrice: z.number().int().positive()})
const deletion = itemNo.extend({force: z.boolean().default(false)})

export const itemService: ServiceDefinition<ItemState> = {
  name: 'item',
  initialState: initialItemState,
  follows: ['reservation', 'payment'],
  // a new item's number and facts come from this service alone
  selfContained: ['register'],
  evolve: evolveItem,
  handlers: ({read, execute}) => {
    /** lend and return: their events join the rental's correlation id, begun by its reservation */
    const rental = (type: 'lend' | 'return', no: number, causationId: string) =>
      execute(
        (state) => ({
          events: decideItem({type, itemNo: no}, state),
          correlationId: findItem(state, no).correlationId ?? newCorrelationId(),
          causationId,
        }),
        (state) => publicItem(state.items[no]),
      )

    return {
      async register(body, request) {
        const {itemName, itemPrice} = parseBody(newItem, body)
        return execute(
          (state) => ({
            events: decideItem({type: 'register', itemName, itemPrice}, state),
            correlationId: request.correlationId ?? newCorrelationId(),
            causationId: request.id,
          }),
          (state, [registered]) => publicItem(state.items[registered.data.itemNo]),
        )
      },
      async delete(body, request) {
        const {itemNo: no, force} = parseBody(deletion, body)
        let before: PublicItem | undefined
        return execute(
          (state) => {
            const item = findItem(state, no)
            before = publicItem(item)
            return {
              events: decideItem({type: 'delete', itemNo: no, force}, state),
              correlationId: item.correlationId ?? newCorrelationId(),
              causationId: request.id,
            }
          },
          () => ({...before!, deleted: true}),
        )
      },
      lend: async (body, request) => rental('lend', parseBody(itemNo, body).itemNo, request.id),
      return: async (body, request) => rental('return', parseBody(itemNo, body).itemNo, request.id),
      list: async () => read((state) => Object.values(state.items).map(publicItem)),
      show: async (body) => read((state) => publicItem(findItem(state, parseBody(itemNo, body).itemNo))),
    }
  },
}
