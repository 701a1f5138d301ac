import type {Market} from '../../src/cli/market.js'
import {invariantProblems, snapshotOf} from './invariants.js'

import type {Stack} from './stack.js'

/**
 * What a test's renters were told, and the check that the stack still says it: every acknowledged
 * effect is there, nothing doubled, and the stores and the view agree (the market's invariants).
 * Shared by the tests that break things and bring them back (chaos, store recover).
 */
export interface Acked {
  /** commands sent for this rental: one that got no answer may still have taken effect */
  tried: Set<string>
  item?: {itemNo: number; itemName: string; itemPrice: number}
  reservationNo?: number
  paid?: boolean
  cancelled?: boolean
  lent?: boolean
  returned?: boolean
}

/** Every store and the view: through a stack's CLI, or through a gateway's market client (hosts of their own, the namespaces test). */
async function readStores(s: Stack | Market): Promise<[any[], any[], any[], any[]]> {
  if (!('json' in s)) {
    const {items, reservations, payments, view} = await snapshotOf(s)
    return [items, reservations, payments, view]
  }
  return Promise.all([s.json(['item', 'list']), s.json(['reservation', 'list']), s.json(['payment', 'list']), s.json(['view'])])
}

/** Checks every acknowledged effect and the agreement of all stores; throws (to retry) until it holds. */
export async function verify(s: Stack | Market, acked: Acked[]) {
  const [items, reservations, payments, view] = await readStores(s)
  const itemOf = new Map(items.map((i: any) => [i.itemNo, i]))
  const reservationOf = new Map(reservations.map((r: any) => [r.reservationNo, r]))
  let acknowledged = 0
  let checked = 0
  const check = (ok: boolean, what: string) => {
    checked++
    if (!ok) throw new Error(`not (yet) true: ${what}`)
  }

  for (const a of acked) {
    if (!a.item) continue
    acknowledged++
    const item: any = itemOf.get(a.item.itemNo)
    check(item?.itemName === a.item.itemName && item?.itemPrice === a.item.itemPrice, `registered item ${a.item.itemNo} exists`)
    if (a.reservationNo === undefined) continue
    acknowledged++
    const r: any = reservationOf.get(a.reservationNo)
    check(r?.itemNo === a.item.itemNo, `reservation ${a.reservationNo} exists for item ${a.item.itemNo}`)
    if (a.paid) acknowledged++
    // a cancel that got no answer may have refunded it (and may have got no further)
    if (a.paid && !a.tried.has('cancel')) check(r.paymentStatus === 'Paid', `reservation ${a.reservationNo} is Paid`)
    if (a.cancelled) {
      acknowledged++
      check(r.reservationStatus === 'Cancelled' && r.paymentStatus === 'NotPaid', `reservation ${a.reservationNo} is cancelled and refunded`)
    }
    if (a.lent) acknowledged++
    if (a.lent && !a.returned) check(['Renting', 'Returned'].includes(r.rentalStatus), `reservation ${a.reservationNo} was lent`)
    if (a.returned) {
      acknowledged++
      check(r.rentalStatus === 'Returned' && r.reservationStatus === 'Completed', `reservation ${a.reservationNo} is completed`)
      check(item.rentalStatus === 'Returned' && item.itemStatus === 'Rentable', `item ${a.item.itemNo} is back`)
    }
  }

  // the invariants of every store and the view (docs/guarantees.md#one-owner-per-decision)
  const invariants = invariantProblems({items, reservations, payments, view})
  checked += invariants.checked
  if (invariants.problems.length > 0) throw new Error(`not (yet) true: ${invariants.problems.slice(0, 3).join('; ')}`)
  return {acknowledged, checked}
}
