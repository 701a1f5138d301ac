import type {Market} from '../../../src/cli/market.js'
import type {DeletedItem, Item as PublicItem, Payment, Reservation as PublicReservation, ViewRow} from '../../../src/contract/records.js'
import {badInput, notFound, refused, unavailable} from '../../../src/errors.js'

type Item = Omit<PublicItem, 'itemStatus' | 'reservationNo'>

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
    reserve: ({itemNo, customerName, customerId = customerName}) => this.reserve({itemNo: Number(itemNo), customerName, customerId}),
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
    list: async ({near}) => {
      if (near === 'home' && !this.home) throw badInput('near home needs the setting home', 'NO_HOME', {command: 'config.set', key: 'home'})
      const rows = await this.viewRows()
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

  async viewRows(): Promise<ViewRow[]> {
    this.log.push(['view'])
    return [...this.itemsByNo.values()].map((item) => {
      const r = this.active(item.itemNo)
      return {
        ...item,
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

  async reserve({itemNo, customerName, customerId}: {itemNo: number; customerName: string; customerId: string}): Promise<PublicReservation> {
    this.log.push(['reserve', {itemNo, customerName, customerId}])
    const item = this.findItem(itemNo)
    const taken = this.active(itemNo)
    if (taken) {
      // in the service's words: the reason, and the next step as data
      throw refused('NOT_RENTABLE', `item ${itemNo} is already reserved (reservation ${taken.reservationNo}); pick a Rentable one from the view`, {command: 'view.list'})
    }
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
    if (r.itemPrice > this.paymentLimit) {
      throw refused('DECLINED', `payment declined: ${r.itemPrice} is above the limit of ${this.paymentLimit} (setting paymentLimit)`)
    }
    const payment: Payment = {paymentNo: this.paymentsByNo.size + 1, reservationNo, itemNo: r.itemNo, amount: r.itemPrice, paymentStatus: 'Paid'}
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
    return {...item, itemStatus: r ? 'NotRentable' : 'Rentable', reservationNo: r?.reservationNo ?? null}
  }

  private active(itemNo: number): PublicReservation | undefined {
    return [...this.reservationsByNo.values()].find((r) => r.itemNo === itemNo && r.reservationStatus === 'Reserved')
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
