import {daysIncluded, overlaps, type Day} from '../../../src/calendar.js'
import {daysText} from '../../../src/cli/tables.js'
import type {Market} from '../../../src/cli/market.js'
import type {Booking, DeletedItem, Item as PublicItem, Payment, Reservation as PublicReservation, ViewRow} from '../../../src/contract/records.js'
import {badInput, notFound, refused, unavailable} from '../../../src/errors.js'

type Item = Omit<PublicItem, 'itemStatus' | 'reservationNo' | 'bookings'>

/**
 * An in-memory market with the rules the wizard meets (docs/architecture.md), refusing with the same kind of
 * GdError as the services. `log` records every request in order, so a test can say exactly what
 * the wizard sent (and what it did not).
 */
export class FakeMarket implements Market {
  readonly log: unknown[][] = []
  paymentLimit = Number.POSITIVE_INFINITY
  /** the payment service is stopped: pay and payment cancel fail as the gateway fails them (exit 5) */
  paymentDown = false
  /** the day it is in the market: a rental without dates runs from it until returned */
  today: Day = '2026-12-06'
  private lastItemNo = 0
  private readonly itemsByNo = new Map<number, Item>()
  private readonly reservationsByNo = new Map<number, PublicReservation>()
  private readonly paymentsByNo = new Map<number, Payment>()

  // the market as the client has it (src/cli/market.ts), on the rules below
  readonly item: Market['item'] = {
    register: ({itemName, itemPrice}) => this.register({itemName, itemPrice: Number(itemPrice)}),
    list: async () => ({_embedded: {items: await this.items()}}),
    show: ({itemNo}) => this.showItem(Number(itemNo)),
    lend: ({itemNo}) => this.lend(Number(itemNo)),
    return: ({itemNo}) => this.takeBack(Number(itemNo)),
    delete: ({itemNo, force}) => this.deleteItem(Number(itemNo), force === true || force === 'true'),
  }
  readonly reservation: Market['reservation'] = {
    reserve: ({itemNo, customerName, customerId = customerName, rentFrom, rentTo}) =>
      this.reserve({itemNo: Number(itemNo), customerName, customerId, ...(rentFrom === undefined ? {} : {rentFrom, rentTo})}),
    list: async () => ({_embedded: {reservations: await this.reservations()}}),
    show: ({reservationNo}) => this.showReservation(Number(reservationNo)),
    pay: async ({reservationNo}) => this.withPayment(Number(reservationNo), await this.pay(Number(reservationNo))),
    cancelPayment: async ({reservationNo}) => this.withPayment(Number(reservationNo), await this.cancelPayment(Number(reservationNo))),
    cancel: ({reservationNo}) => this.cancelReservation(Number(reservationNo)),
  }
  readonly payment: Market['payment'] = {
    list: async () => ({_embedded: {payments: await this.payments()}}),
    show: async ({paymentNo}) => ({...this.paymentsByNo.get(Number(paymentNo))!}),
  }
  /** how far each item is from home, when the setting home is set; unset: a search near home is refused (NO_HOME) */
  home: Map<number, number> | undefined
  readonly view: Market['view'] = {
    list: async ({near, freeFrom, freeTo}) => {
      if (near === 'home' && !this.home) throw badInput('near home needs the setting home', 'NO_HOME', {command: 'config.set', key: 'home'})
      this.log.push(['view', ...(freeFrom === undefined ? [] : [{freeFrom, freeTo}])])
      const period = freeFrom === undefined ? undefined : {from: freeFrom, to: freeTo!}
      const rows = (await this.viewRows(false)).filter((row) => !period || !this.live(row.itemNo).some((r) => overlaps(daysOf(r), period)))
      if (near !== 'home') return {_embedded: {itemInfoes: rows}}
      const home = this.home!
      const nearby = rows.filter((r) => home.has(r.itemNo)).map((r) => ({...r, distanceM: home.get(r.itemNo)!}))
      return {_embedded: {itemInfoes: nearby.sort((a, b) => a.distanceM - b.distanceM)}}
    },
    show: async ({itemNo}) => (await this.viewRows()).find((row) => row.itemNo === Number(itemNo))!,
  }

  private withPayment(reservationNo: number, payment: Payment & {alreadyPaid?: true}) {
    return {...this.findReservation(reservationNo), payment}
  }

  /** the requests that change something (reads left out) */
  changes(): unknown[][] {
    const reads = new Set(['view', 'items', 'item', 'reservations', 'reservation', 'payments'])
    return this.log.filter(([name]) => !reads.has(name as string))
  }

  async viewRows(logged = true): Promise<ViewRow[]> {
    if (logged) this.log.push(['view'])
    return [...this.itemsByNo.values()].map((item) => {
      const r = this.active(item.itemNo)
      return {
        ...item,
        bookings: this.bookings(item.itemNo),
        itemStatus: r ? 'NotRentable' : 'Rentable',
        reservationNo: r?.reservationNo ?? null,
        customerName: r?.customerName ?? null,
        customerId: r?.customerId ?? null,
        paymentStatus: r?.paymentStatus ?? null,
      }
    })
  }

  async items(): Promise<PublicItem[]> {
    this.log.push(['items'])
    return [...this.itemsByNo.values()].map((item) => this.publicItem(item))
  }

  async showItem(itemNo: number): Promise<PublicItem> {
    this.log.push(['item', itemNo])
    return this.publicItem(this.findItem(itemNo))
  }

  async register({itemName, itemPrice}: {itemName: string; itemPrice: number}): Promise<PublicItem> {
    this.log.push(['register', {itemName, itemPrice}])
    const item: Item = {itemNo: ++this.lastItemNo, itemName, itemPrice, rentalStatus: 'NotRenting'}
    this.itemsByNo.set(item.itemNo, item)
    return this.publicItem(item)
  }

  async lend(itemNo: number): Promise<PublicItem> {
    this.log.push(['lend', itemNo])
    const item = this.findItem(itemNo)
    const r = this.active(itemNo)
    if (item.rentalStatus === 'Renting') throw refused('ALREADY_LENT', `item ${itemNo} is already lent out`)
    if (!r) throw refused('NOT_RESERVED', `item ${itemNo} has no reservation`)
    if (r.paymentStatus !== 'Paid') throw refused('NOT_PAID', `reservation ${r.reservationNo} is not paid`)
    item.rentalStatus = r.rentalStatus = 'Renting'
    return this.publicItem(item)
  }

  async takeBack(itemNo: number): Promise<PublicItem> {
    this.log.push(['takeBack', itemNo])
    const item = this.findItem(itemNo)
    const r = this.active(itemNo)
    if (item.rentalStatus !== 'Renting' || !r) throw refused('NOT_LENT', `item ${itemNo} is not lent out, so it cannot be returned`)
    item.rentalStatus = r.rentalStatus = 'Returned'
    r.reservationStatus = 'Completed'
    return this.publicItem(item)
  }

  async deleteItem(itemNo: number, force?: boolean): Promise<DeletedItem> {
    this.log.push(['deleteItem', itemNo, force])
    const item = this.findItem(itemNo)
    const r = this.active(itemNo)
    if (item.rentalStatus === 'Renting') throw refused('ITEM_LENT', `item ${itemNo} is lent out`)
    if (r && !force) throw refused('ITEM_RESERVED', `item ${itemNo} is reserved (reservation ${r.reservationNo})`)
    const before = this.publicItem(item)
    if (r) this.cancel(r)
    this.itemsByNo.delete(itemNo)
    return {...before, deleted: true}
  }

  async reserve(request: {itemNo: number; customerName: string; customerId: string; rentFrom?: Day; rentTo?: Day}): Promise<PublicReservation> {
    this.log.push(['reserve', request])
    const {itemNo, customerName, customerId, rentFrom = this.today, rentTo = null} = request
    const item = this.findItem(itemNo)
    if (rentFrom < this.today) throw badInput(`rentFrom ${rentFrom} is in the past (today is ${this.today}); book from today on`)
    const taken = this.live(itemNo).find((r) => overlaps(daysOf(r), {from: rentFrom, to: rentTo}))
    if (taken) throw this.notRentable(itemNo, taken, request.rentFrom !== undefined)
    const r: PublicReservation = {
      reservationNo: this.reservationsByNo.size + 1,
      itemNo,
      itemName: item.itemName,
      itemPrice: item.itemPrice,
      customerName,
      customerId,
      reservationStatus: 'Reserved',
      paymentStatus: 'NotPaid',
      rentalStatus: 'NotRenting',
      correlationId: `rental-${this.reservationsByNo.size + 1}`,
      rentFrom,
      rentTo,
      amount: rentTo === null ? item.itemPrice : item.itemPrice * daysIncluded(rentFrom, rentTo),
      returnedLate: false,
    }
    this.reservationsByNo.set(r.reservationNo, r)
    return {...r}
  }

  async reservations(): Promise<PublicReservation[]> {
    this.log.push(['reservations'])
    return [...this.reservationsByNo.values()].map((r) => ({...r}))
  }

  async showReservation(reservationNo: number): Promise<PublicReservation> {
    this.log.push(['reservation', reservationNo])
    return {...this.findReservation(reservationNo)}
  }

  async cancelReservation(reservationNo: number): Promise<PublicReservation> {
    this.log.push(['cancelReservation', reservationNo])
    const r = this.findOpen(reservationNo)
    this.cancel(r)
    return {...r}
  }

  async pay(reservationNo: number): Promise<Payment & {alreadyPaid?: true}> {
    this.log.push(['pay', reservationNo])
    this.checkPaymentUp()
    const r = this.findOpen(reservationNo)
    const paid = this.livePayment(reservationNo)
    if (paid) return {...paid, alreadyPaid: true} // paying twice answers with the same payment
    if (r.amount > this.paymentLimit) {
      throw refused('DECLINED', `payment declined: ${r.amount} is above the limit of ${this.paymentLimit} (setting paymentLimit)`)
    }
    const payment: Payment = {paymentNo: this.paymentsByNo.size + 1, reservationNo, itemNo: r.itemNo, amount: r.amount, paymentStatus: 'Paid'}
    this.paymentsByNo.set(payment.paymentNo, payment)
    r.paymentStatus = 'Paid'
    return {...payment}
  }

  async cancelPayment(reservationNo: number): Promise<Payment> {
    this.log.push(['cancelPayment', reservationNo])
    this.checkPaymentUp()
    const r = this.findOpen(reservationNo)
    const payment = this.livePayment(reservationNo)
    if (!payment) throw refused('NOT_PAID', `reservation ${reservationNo} is not paid`)
    payment.paymentStatus = 'Cancelled'
    r.paymentStatus = 'NotPaid'
    return {...payment}
  }

  async payments(): Promise<Payment[]> {
    this.log.push(['payments'])
    return [...this.paymentsByNo.values()].map((p) => ({...p}))
  }

  private checkPaymentUp(): void {
    if (this.paymentDown) throw unavailable('SERVICE_DOWN', 'the payment service is stopped; start it', {command: 'service.start', service: 'payment'})
  }

  private publicItem(item: Item): PublicItem {
    const r = this.active(item.itemNo)
    return {...item, itemStatus: r ? 'NotRentable' : 'Rentable', reservationNo: r?.reservationNo ?? null, bookings: this.bookings(item.itemNo)}
  }

  /** the item's live reservations, first first */
  private live(itemNo: number): PublicReservation[] {
    return [...this.reservationsByNo.values()].filter((r) => r.itemNo === itemNo && r.reservationStatus === 'Reserved').sort((a, b) => daysOf(a).from.localeCompare(daysOf(b).from))
  }

  /** the live reservation that has the item today */
  private active(itemNo: number): PublicReservation | undefined {
    return this.live(itemNo).find((r) => overlaps(daysOf(r), {from: this.today, to: this.today}))
  }

  private bookings(itemNo: number): Booking[] {
    return this.live(itemNo).map((r) => ({reservationNo: r.reservationNo, ...daysOf(r)}))
  }

  /** in the service's words: the reason (naming the days when either booking has them), and the next step as data */
  private notRentable(itemNo: number, taken: PublicReservation, dated: boolean) {
    const what = dated || taken.rentTo !== null ? `booked ${daysText(taken)}` : 'already reserved'
    const next = dated ? 'pick other days, or another item from the view' : 'pick a Rentable one from the view'
    return refused('NOT_RENTABLE', `item ${itemNo} is ${what} (reservation ${taken.reservationNo}); ${next}`, {command: 'view.list'})
  }

  private livePayment(reservationNo: number): Payment | undefined {
    return [...this.paymentsByNo.values()].find((p) => p.reservationNo === reservationNo && p.paymentStatus === 'Paid')
  }

  private cancel(r: PublicReservation): void {
    const payment = this.livePayment(r.reservationNo)
    if (payment) payment.paymentStatus = 'Cancelled' // compensation: refunded first
    r.paymentStatus = 'NotPaid'
    r.reservationStatus = 'Cancelled'
  }

  private findItem(itemNo: number): Item {
    const item = this.itemsByNo.get(itemNo)
    if (!item) throw notFound('ITEM_NOT_FOUND', `item ${itemNo} does not exist`)
    return item
  }

  private findReservation(reservationNo: number): PublicReservation {
    const r = this.reservationsByNo.get(reservationNo)
    if (!r) throw notFound('RESERVATION_NOT_FOUND', `reservation ${reservationNo} does not exist`)
    return r
  }

  /** an active reservation that is not lent: what pay and both cancels need */
  private findOpen(reservationNo: number): PublicReservation {
    const r = this.findReservation(reservationNo)
    if (r.reservationStatus !== 'Reserved') throw refused('ALREADY_CANCELLED', `reservation ${reservationNo} is ${r.reservationStatus}`)
    if (r.rentalStatus === 'Renting') throw refused('ALREADY_LENT', `reservation ${reservationNo} is lent out`)
    return r
  }
}

const daysOf = (r: PublicReservation): {from: Day; to: Day | null} => ({from: r.rentFrom ?? '0000-01-01', to: r.rentTo})
