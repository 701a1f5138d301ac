import {isDeepStrictEqual} from 'node:util'

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

/** Checks every acknowledged effect and the agreement of all stores; throws (to retry) until it holds. */
export async function verify(s: Stack, acked: Acked[]) {
  const [items, reservations, payments, view] = await Promise.all([
    s.json(['item', 'list']),
    s.json(['reservation', 'list']),
    s.json(['payment', 'list']),
    s.json(['view']),
  ])
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

  // no item has two active reservations
  const active = new Map<number, number>()
  for (const r of reservations) if (r.reservationStatus === 'Reserved') active.set(r.itemNo, (active.get(r.itemNo) ?? 0) + 1)
  check([...active.values()].every((n) => n === 1), 'no item has two active reservations')

  // no reservation charged twice
  const charges = new Map<number, number>()
  for (const p of payments) if (p.paymentStatus === 'Paid') charges.set(p.reservationNo, (charges.get(p.reservationNo) ?? 0) + 1)
  check([...charges.values()].every((n) => n === 1), 'no reservation is charged twice')

  // payment, reservation and item stores agree
  for (const r of reservations) {
    check((r.paymentStatus === 'Paid') === (charges.get(r.reservationNo) === 1), `payment agrees with reservation ${r.reservationNo}`)
    const item: any = itemOf.get(r.itemNo)
    const holds = item?.reservationNo === r.reservationNo
    check(holds === (r.reservationStatus === 'Reserved'), `item ${r.itemNo} holds reservation ${r.reservationNo} only while it is active`)
    if (holds) check((item.rentalStatus === 'Renting') === (r.rentalStatus === 'Renting'), `item and reservation ${r.reservationNo} agree on lending`)
  }

  // the view equals what the stores say
  check(view.length === items.length, 'the view has one row per item')
  for (const row of view) {
    const item: any = itemOf.get(row.itemNo)
    const r: any = item?.reservationNo ? reservationOf.get(item.reservationNo) : undefined
    const expected = {
      itemNo: item?.itemNo,
      itemName: item?.itemName,
      itemPrice: item?.itemPrice,
      itemStatus: item?.itemStatus,
      rentalStatus: item?.rentalStatus,
      reservationNo: item?.reservationNo ?? null,
      customerName: r?.customerName ?? null,
      customerId: r?.customerId ?? null,
      paymentStatus: r?.paymentStatus ?? null,
    }
    check(isDeepStrictEqual(row, expected), `view row ${JSON.stringify(row)} equals the stores ${JSON.stringify(expected)}`)
  }
  return {acknowledged, checked}
}
