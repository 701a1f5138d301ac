import {z} from 'zod'

import {newCorrelationId, parseBody, type ServiceDefinition} from '../../runtime/service.js'
import {checkClaims, claimsSchema} from '../claims.js'
import {decideItem, findItem} from './decide.js'
import {evolveItem, initialItemState, publicItem, type ItemState, type PublicItem} from './item.js'
import {followsOf} from '../../bus/topics.js'

// request bodies: built once (a zod schema costs far more to build than to check a body against)
const itemNo = z.object({itemNo: z.number().int().positive()})
const rentalCommand = itemNo.extend({claims: claimsSchema})
const newItem = z.object({itemName: z.string().trim().min(1), itemPrice: z.number().int().positive(), claims: claimsSchema})
const deletion = itemNo.extend({force: z.boolean().default(false)})

export const itemService: ServiceDefinition<ItemState> = {
  name: 'item',
  initialState: initialItemState,
  follows: [...followsOf.item],
  // a new item's number and facts come from this service alone
  selfContained: ['register'],
  evolve: evolveItem,
  handlers: ({read, execute}) => {
    /** lend and return: their events join the rental's correlation id, begun by its reservation */
    const rental = (type: 'lend' | 'return', body: unknown, causationId: string) => {
      const {itemNo: no, claims} = parseBody(rentalCommand, body)
      return execute(
        (state) => {
          // the client's word about the item is checked against it as it is before the change
          checkClaims(claims, publicItem(findItem(state, no)))
          return {
            events: decideItem({type, itemNo: no}, state),
            correlationId: findItem(state, no).correlationId ?? newCorrelationId(),
            causationId,
          }
        },
        (state) => publicItem(state.items[no]),
      )
    }

    return {
      async register(body, request) {
        const {itemName, itemPrice, claims} = parseBody(newItem, body)
        // a new item is Rentable and NotRenting, whatever a client says it is
        checkClaims(claims, {itemName, itemPrice, itemStatus: 'Rentable', rentalStatus: 'NotRenting', reservationNo: null})
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
      lend: async (body, request) => rental('lend', body, request.id),
      return: async (body, request) => rental('return', body, request.id),
      list: async () => read((state) => Object.values(state.items).map(publicItem)),
      show: async (body) => read((state) => publicItem(findItem(state, parseBody(itemNo, body).itemNo))),
    }
  },
}
