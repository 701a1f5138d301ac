import type {Reservation} from '../contract/records.js'
import {askText, pick} from './ask.js'
import {attempt, attemptAgain, nextStep, send} from './attempt.js'
import type {WizardContext} from './context.js'
import {datesOf, reservationLabel} from './labels.js'

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
    message: `Reservation ${r.reservationNo} (${r.itemName}${datesOf(r)}): what now?`,
    choices: [
      r.paymentStatus === 'Paid'
        ? {name: `Cancel the payment (refund ${r.amount}, keep the reservation)`, value: 'cancelPayment'}
        : {name: `Pay ${r.amount}`, value: 'pay'},
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
  const sure = await ctx.terminal.prompts.confirm({message: `Pay ${r.amount} for reservation ${r.reservationNo} (${r.itemName}${datesOf(r)})?`, default: true})
  if (!sure) return ctx.terminal.say('Nothing changed.')
  return payFor(ctx, r)
}

/** Pays (renting pays through it too); when that fails, the next step is a choice: again (payment down or slow), cancel the reservation, or back. */
export async function payFor(ctx: WizardContext, r: Reservation): Promise<void> {
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
