import {isDeepStrictEqual} from 'node:util'

import type {Market} from '../../src/cli/market.js'

/** Every store of a stack at one moment, as its clients see them. */
export interface Snapshot {
  items: any[]
  reservations: any[]
  payments: any[]
  view: any[]
}

export const snapshotOf = async (market: Market): Promise<Snapshot> => {
  const [items, reservations, payments, view] = await Promise.all([market.item.list({}), market.reservation.list({}), market.payment.list({}), market.view.list({})])
  return {items: items._embedded.items, reservations: reservations._embedded.reservations, payments: payments._embedded.payments, view: view._embedded.itemInfoes}
}

/**
 * The invariants that hold under any interleaving of commands (docs/guarantees.md#one-owner-per-decision),
 * checked on every store and the view: the statements that are false, and how many were checked.
 * Sagas finish after their command has answered, so callers retry until nothing is false.
 */
export function invariantProblems({items, reservations, payments, view}: Snapshot): {problems: string[]; checked: number} {
  const problems: string[] = []
  let checked = 0
  const check = (ok: boolean, what: string) => {
    checked++
    if (!ok) problems.push(what)
  }
  const itemOf = new Map(items.map((i) => [i.itemNo, i]))
  const reservationOf = new Map(reservations.map((r) => [r.reservationNo, r]))
  const live = new Map<number, number>() // reservationNo → how many Paid payments
  for (const p of payments) if (p.paymentStatus === 'Paid') live.set(p.reservationNo, (live.get(p.reservationNo) ?? 0) + 1)

  // one active reservation per item
  const active = new Map<number, number>()
  for (const r of reservations) if (r.reservationStatus === 'Reserved') active.set(r.itemNo, (active.get(r.itemNo) ?? 0) + 1)
  for (const [itemNo, n] of active) check(n === 1, `item ${itemNo} has ${n} active reservations`)

  for (const p of payments) {
    const r = reservationOf.get(p.reservationNo)
    check(r !== undefined, `payment ${p.paymentNo} is for reservation ${p.reservationNo}, which exists`)
  }
  for (const r of reservations) {
    const charges = live.get(r.reservationNo) ?? 0
    check(charges <= 1, `reservation ${r.reservationNo} is charged once at most, not ${charges} times`)
    check((r.paymentStatus === 'Paid') === (charges === 1), `reservation ${r.reservationNo} is ${r.paymentStatus} and has ${charges} live payment(s)`)
    // a cancelled reservation has no live payment
    if (r.reservationStatus === 'Cancelled') check(charges === 0, `cancelled reservation ${r.reservationNo} has no live payment`)
    // lent only while paid, and a refund only before lending: a rental that began keeps its payment
    if (r.rentalStatus !== 'NotRenting') {
      check(r.paymentStatus === 'Paid' && charges === 1, `reservation ${r.reservationNo} was lent (${r.rentalStatus}) and is still paid`)
      check(r.reservationStatus !== 'Cancelled', `reservation ${r.reservationNo} was lent and is not cancelled`)
    }
    const item = itemOf.get(r.itemNo)
    // a rental that began keeps its item: a lent item is never deleted
    if (r.rentalStatus === 'Renting' && r.reservationStatus === 'Reserved') check(item !== undefined, `lent reservation ${r.reservationNo}'s item ${r.itemNo} exists`)
    const holds = item?.reservationNo === r.reservationNo
    if (item) check(holds === (r.reservationStatus === 'Reserved'), `item ${r.itemNo} holds reservation ${r.reservationNo} only while it is active`)
    if (holds) check((item.rentalStatus === 'Renting') === (r.rentalStatus === 'Renting'), `item ${r.itemNo} and reservation ${r.reservationNo} agree on lending`)
  }
  for (const item of items) {
    if (item.rentalStatus !== 'Renting') continue
    const r = reservationOf.get(item.reservationNo)
    check(r?.paymentStatus === 'Paid' && r?.rentalStatus === 'Renting', `lent item ${item.itemNo} has a paid reservation that is lent`)
  }

  // the view equals what the stores say
  check(view.length === items.length, `the view has one row per item (${view.length} rows, ${items.length} items)`)
  for (const row of view) {
    const item = itemOf.get(row.itemNo)
    const r = item?.reservationNo ? reservationOf.get(item.reservationNo) : undefined
    const expected = {
      itemNo: item?.itemNo,
      itemName: item?.itemName,
      itemPrice: item?.itemPrice,
      itemStatus: item?.itemStatus,
      rentalStatus: item?.rentalStatus,
      reservationNo: item?.reservationNo ?? null,
      latitude: item?.latitude ?? null,
      longitude: item?.longitude ?? null,
      customerName: r?.customerName ?? null,
      customerId: r?.customerId ?? null,
      paymentStatus: r?.paymentStatus ?? null,
    }
    check(isDeepStrictEqual(row, expected), `view row ${JSON.stringify(row)} equals the stores ${JSON.stringify(expected)}`)
  }
  return {problems, checked}
}
