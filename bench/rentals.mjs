// @ts-check
import {marketClient} from '../dist/cli/market.js'

/**
 * The rental cycle's requests by the names the monolith and the Moleculer peer answer to too
 * (bench/cycles.mjs), sent with the CLI's client (src/cli/market.ts).
 * @param {(method: any, path: string, body?: unknown) => Promise<unknown>} call
 */
export const rentals = (call) => {
  /** @type {any} the client is typed in TypeScript (src/cli/market.ts); the bench reads the JavaScript */
  const market = marketClient(call)
  return {
    register: (/** @type {{itemName: string, itemPrice: number, latitude?: number, longitude?: number}} */ item) => market.item.register(item),
    reserve: (/** @type {{itemNo: number, customerName: string, customerId: string}} */ r) => market.reservation.reserve(r),
    pay: (/** @type {number} */ reservationNo) => market.reservation.pay({reservationNo}),
    lend: (/** @type {number} */ itemNo) => market.item.lend({itemNo}),
    takeBack: (/** @type {number} */ itemNo) => market.item.return({itemNo}),
    view: async () => (await market.view.list({}))._embedded.itemInfoes,
  }
}
