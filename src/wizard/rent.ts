import {daysIncluded} from '../calendar.js'
import type {FoundRow, Reservation} from '../contract/records.js'
import {DEFAULT_WITHIN_M} from '../contract/routes.js'
import {GdError} from '../errors.js'
import {askText, pick} from './ask.js'
import {attempt, nextStep, send} from './attempt.js'
import type {WizardContext} from './context.js'
import {askPeriod, type Period} from './dates.js'
import {customer, datesOf, howToCancel, howToPay, offerLabel, periodText} from './labels.js'
import {payFor} from './renter.js'

/** Who reserves: the name and customer id the renter gave. */
interface Renter {
  customerName: string
  customerId: string
}

/**
 * Renter: near home? → the days (or none: until returned) → an item free then → who you are →
 * confirm → reserve; then offer to pay at once. When the reservation is refused (someone else was
 * quicker), a rental without dates shows the list again at once; one for dates offers other dates
 * or another item. The renter is never asked who they are a second time.
 */
export async function rentAnItem(ctx: WizardContext): Promise<void> {
  const {terminal, market} = ctx
  const {prompts} = terminal
  let renter: Renter | undefined
  let instead = false
  const near = await nearHome(ctx)
  let period = await askPeriod(prompts)
  for (;;) {
    const offered = await itemsOffered(ctx, near, period)
    if (!offered) return
    if (offered.length === 0) {
      if (!period) return terminal.say(nothingOffered(near, period))
      if (!(await otherDates(ctx, nothingOffered(near, period)))) return
      period = await askPeriod(prompts)
      continue
    }
    const row = await pick(prompts, whichItem(period, instead), offered.map((r) => ({name: offerLabel(r), value: r})))
    if (!row) return
    renter ??= await askWhoRents(ctx)
    if (!(await prompts.confirm({message: reserveQuestion(row, renter, period), default: true}))) return terminal.say('Nothing reserved.')
    const {customerName, customerId} = renter
    const outcome = await send(terminal, () => market.reservation.reserve({itemNo: row.itemNo, customerName, customerId, rentFrom: period?.from, rentTo: period?.to}))
    if (outcome.ok) return offerToPay(ctx, outcome.value)
    instead = true
    if (!period) continue
    const next = await nextStep(terminal, `${row.itemName} is not reserved for ${periodText(period)}. What now?`, outcome.error, [
      {name: 'Other dates', value: 'dates'},
      {name: `Another item free ${periodText(period)}`, value: 'item'},
    ])
    if (next === 'back') return
    if (next === 'dates') period = await askPeriod(prompts)
  }
}

/** The items to offer: free for the days (the view's freeFrom/freeTo, as `view --free-from --free-to`), else rentable today; near home when asked. */
async function itemsOffered({terminal, market}: WizardContext, near: boolean, period: Period | undefined): Promise<FoundRow[] | undefined> {
  const filters = {...(near ? {near: 'home'} : {}), ...(period ? {freeFrom: period.from, freeTo: period.to} : {})}
  const rows = await attempt(terminal, async () => (await market.view.list(filters))._embedded.itemInfoes)
  // free for the days is all a booking for dates needs; one until returned needs the item in today
  return period ? rows : rows?.filter((row) => row.itemStatus === 'Rentable')
}

function nothingOffered(near: boolean, period: Period | undefined): string {
  const where = near ? ' near home' : ''
  if (period) return `No item${where} is free ${periodText(period)}.`
  return near ? 'No item near home is rentable right now.' : 'No item is rentable right now; an owner can register one (Owner → Register an item).'
}

/** Nothing free on those days: other dates, or back to the menu. */
async function otherDates({terminal}: WizardContext, why: string): Promise<boolean> {
  const next = await terminal.prompts.select<'dates' | 'back'>({
    message: `${why} What now?`,
    choices: [
      {name: 'Other dates', value: 'dates'},
      {name: '← Back to the menu', value: 'back'},
    ],
  })
  return next === 'dates'
}

function whichItem(period: Period | undefined, instead: boolean): string {
  const question = `Which item would you like to rent${instead ? ' instead' : ''}`
  return period ? `${question}, free ${periodText(period)}?` : `${question}?`
}

/** "Reserve Tent (item 2) 2026-12-10–12, 3 days × 40, for Young?": the days and the price per day; the total is what the reservation answers. */
function reserveQuestion(row: FoundRow, {customerName, customerId}: Renter, period: Period | undefined): string {
  const who = customer(customerName, customerId)
  if (!period) return `Reserve ${row.itemName} (item ${row.itemNo}, ${row.itemPrice}) for ${who}?`
  const days = daysIncluded(period.from, period.to)
  return `Reserve ${row.itemName} (item ${row.itemNo}) ${periodText(period)}, ${days} day${days === 1 ? '' : 's'} × ${row.itemPrice}, for ${who}?`
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

/** The amount is the reservation's answer (price × days for dates), never worked out here. */
async function offerToPay(ctx: WizardContext, reservation: Reservation): Promise<void> {
  const {prompts, say} = ctx.terminal
  const {reservationNo, itemName, amount} = reservation
  say(`→ Reserved ${itemName}${datesOf(reservation)} for ${reservation.customerName}: reservation ${reservationNo}, ${amount} to pay.`)
  if (await prompts.confirm({message: `Pay ${amount} now?`, default: true})) await payFor(ctx, reservation)
  else say(`Not paid yet: ${howToPay(reservationNo)}.`)
  say(howToCancel(reservationNo))
}
