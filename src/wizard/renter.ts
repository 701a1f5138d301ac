import type {Reservation} from '../contract/records.js'
import {GdError} from '../errors.js'
import {DEFAULT_WITHIN_M} from '../contract/view.js'
import {askText, pick} from './ask.js'
import {attempt, attemptAgain, nextStep, send} from './attempt.js'
import type {WizardContext} from './context.js'
import {customer, howToCancel, howToPay, itemLabel, reservationLabel} from './labels.js'

/** Who reserves: the name and customer id the renter gave. */
interface Renter {
  customerName: string
  customerId: string
}

/**
 * Renter: pick a rentable item, say who you are, confirm → reserve; then offer to pay at once.
 * When the reservation is refused (someone else was quicker, the item is gone), the list comes
 * again at once and the renter is not asked who they are a second time.
 */
export async function rentAnItem(ctx: WizardContext): Promise<void> {
  const {terminal, market} = ctx
  const {prompts, say} = terminal
  let renter: Renter | undefined
  let question = 'Which item would you like to rent?'
  const near = await nearHome(ctx)
  for (;;) {
    const rows = await attempt(terminal, async () => (await market.view.list(near ? {near: 'home'} : {}))._embedded.itemInfoes)
    if (!rows) return
    const rentable = rows.filter((row) => row.itemStatus === 'Rentable')
    if (rentable.length === 0) {
      return say(near ? 'No item near home is rentable right now.' : 'No item is rentable right now; an owner can register one (Owner → Register an item).')
    }
    const row = await pick(prompts, question, rentable.map((r) => ({name: itemLabel(r), value: r})))
    if (!row) return
    renter ??= await askWhoRents(ctx)
    const {customerName, customerId} = renter

    const go = await prompts.confirm({
      message: `Reserve ${row.itemName} (item ${row.itemNo}, ${row.itemPrice}) for ${customer(customerName, customerId)}?`,
      default: true,
    })
    if (!go) return say('Nothing reserved.')
    const reservation = await attempt(terminal, () => market.reservation.reserve({itemNo: row.itemNo, customerName, customerId}))
    if (reservation) return offerToPay(ctx, reservation)
    question = 'Which item would you like to rent instead?'
  }
}

/**
 * Whether to look only near home: asked when the setting home is set (the view says so by finding
 * near it), and the renter says yes. Without home the question would lead nowhere: not asked.
 */
async function nearHome({terminal, market}: WizardContext): Promise<boolean> {
  try {
    await market.view.list({near: 'home'})
  } catch (error) {
    if (error instanceof GdError && error.code === 'NO_HOME') return false
    throw error
  }
  return terminal.prompts.confirm({message: `Only items near home (within ${DEFAULT_WITHIN_M / 1000} km), nearest first?`, default: true})
}

/** The renter's name and customer id, offering what they gave earlier in this session. */
async function askWhoRents({terminal: {prompts}, session}: WizardContext): Promise<Renter> {
  const customerName = await askText(prompts, 'Your name?', session.customerName)
  // the id defaults to the name, as in `gdmarket reserve --customer NAME`, unless this person gave one before
  const knownId = customerName === session.customerName ? session.customerId : undefined
  const customerId = await askText(prompts, 'Your customer id?', knownId ?? customerName)
  Object.assign(session, {customerName, customerId})
  return {customerName, customerId}
}

async function offerToPay(ctx: WizardContext, reservation: Reservation): Promise<void> {
  const {prompts, say} = ctx.terminal
  const {reservationNo, itemName, itemPrice} = reservation
  say(`→ Reserved ${itemName} for ${reservation.customerName}: reservation ${reservationNo}, ${itemPrice} to pay.`)
  if (await prompts.confirm({message: `Pay ${itemPrice} now?`, default: true})) await payFor(ctx, reservation)
  else say(`Not paid yet: ${howToPay(reservationNo)}.`)
  say(howToCancel(reservationNo))
}

/** Renter: the open reservations of one customer id → pay, cancel the payment, or cancel the reservation. */
export async function myReservations(ctx: WizardContext): Promise<void> {
  const {terminal, market, session} = ctx
  const {prompts, say} = terminal
  const customerId = await askText(prompts, 'Your customer id?', session.customerId)
  session.customerId = customerId
  const all = await attempt(terminal, async () => (await market.reservation.list({}))._embedded.reservations)
  if (!all) return
  const open = all.filter((r) => r.customerId === customerId && r.reservationStatus === 'Reserved')
  if (open.length === 0) return say(`No open reservations for ${customerId}.`)

  const r = await pick(
    prompts,
    'Which reservation?',
    open.map((x) => ({
      name: reservationLabel(x),
      value: x,
      // nothing can change while the item is with the renter: it ends when the owner takes it back
      disabled: x.rentalStatus === 'Renting' ? '(lent out: ends when the owner takes it back)' : false,
    })),
  )
  if (!r) return
  const action = await prompts.select<'pay' | 'cancelPayment' | 'cancel' | 'back'>({
    message: `Reservation ${r.reservationNo} (${r.itemName}): what now?`,
    choices: [
      r.paymentStatus === 'Paid'
        ? {name: `Cancel the payment (refund ${r.itemPrice}, keep the reservation)`, value: 'cancelPayment'}
        : {name: `Pay ${r.itemPrice}`, value: 'pay'},
      {name: `Cancel the reservation${r.paymentStatus === 'Paid' ? ' (refunded first)' : ''}`, value: 'cancel'},
      {name: '← Back', value: 'back'},
    ],
  })
  switch (action) {
    case 'pay':
      return confirmAndPay(ctx, r)
    case 'cancelPayment':
      return cancelPayment(ctx, r)
    case 'cancel':
      return cancelReservation(ctx, r)
    case 'back':
      return
  }
}

/** Every change asks first (docs/wizard.md): paying too. */
async function confirmAndPay(ctx: WizardContext, r: Reservation): Promise<void> {
  const sure = await ctx.terminal.prompts.confirm({message: `Pay ${r.itemPrice} for reservation ${r.reservationNo} (${r.itemName})?`, default: true})
  if (!sure) return ctx.terminal.say('Nothing changed.')
  return payFor(ctx, r)
}

/** Pays; when that fails, the next step is a choice: again (payment down or slow), cancel the reservation, or back. */
async function payFor(ctx: WizardContext, r: Reservation): Promise<void> {
  const {terminal, market} = ctx
  for (;;) {
    const outcome = await send(terminal, () => market.reservation.pay({reservationNo: r.reservationNo}))
    if (outcome.ok) {
      const {paymentNo, amount, alreadyPaid} = outcome.value.payment
      return terminal.say(
        alreadyPaid
          ? `→ Already paid: payment ${paymentNo}; nothing was charged again. The owner can hand ${r.itemName} over now.`
          : `→ Paid ${amount}: payment ${paymentNo}. The owner can hand ${r.itemName} over now.`,
      )
    }
    const next = await nextStep(terminal, `Reservation ${r.reservationNo} (${r.itemName}) is not paid. What now?`, outcome.error, [
      {name: 'Cancel the reservation', value: 'cancel'},
    ])
    if (next === 'cancel') return cancelReservation(ctx, r)
    if (next === 'back') return terminal.say(`Reservation ${r.reservationNo} stays reserved, not paid; pay later under Renter → My reservations.`)
  }
}

async function cancelPayment({terminal, market}: WizardContext, r: Reservation): Promise<void> {
  const question = `Cancel the payment for reservation ${r.reservationNo} (${r.itemName})?`
  const sure = await terminal.prompts.confirm({message: question, default: false})
  if (!sure) return terminal.say('Nothing changed.')
  const payment = await attemptAgain(terminal, () => market.reservation.cancelPayment({reservationNo: r.reservationNo}), 'Cancelling the payment')
  if (payment) {
    const {paymentNo, amount} = payment.payment
    terminal.say(`→ Payment ${paymentNo} is cancelled, ${amount} refunded; reservation ${r.reservationNo} stays reserved, not paid.`)
  }
}

async function cancelReservation({terminal, market}: WizardContext, r: Reservation): Promise<void> {
  const sure = await terminal.prompts.confirm({message: `Cancel reservation ${r.reservationNo} (${r.itemName})?`, default: false})
  if (!sure) return terminal.say('Nothing changed.')
  const cancelled = await attemptAgain(terminal, () => market.reservation.cancel({reservationNo: r.reservationNo}), 'Cancelling the reservation')
  if (cancelled) {
    const refunded = r.paymentStatus === 'Paid' ? ' and refunded' : ''
    terminal.say(`→ Reservation ${r.reservationNo} is cancelled${refunded}; ${r.itemName} is rentable again.`)
  }
}
