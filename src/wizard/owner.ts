import type {ViewRow} from '../contract/records.js'
import {askText, askWholeNumber, pick} from './ask.js'
import {attempt, attemptAgain} from './attempt.js'
import type {WizardContext} from './context.js'
import {holder, itemLabel} from './labels.js'

/*
 * Owner flows. Each lists the items in the state its action needs, from the item view (the only
 * read model that knows who reserved an item and whether it is paid); the service still decides,
 * so a change made meanwhile by someone else comes back as a refusal shown in the wizard.
 */

export async function registerItem({terminal, market}: WizardContext): Promise<void> {
  const {prompts, say} = terminal
  const itemName = await askText(prompts, 'What do you offer for rent?')
  const itemPrice = await askWholeNumber(prompts, 'Price per day (whole currency units)?', {what: 'the price', min: 1, example: 12})
  if (!(await prompts.confirm({message: `Register ${itemName} at ${itemPrice}?`, default: true}))) return say('Nothing registered.')
  const item = await attemptAgain(terminal, () => market.item.register({itemName, itemPrice}), 'Registering')
  if (item) say(`→ Registered ${item.itemName} as item ${item.itemNo}; it is rentable now.`)
}

export async function lendItem(ctx: WizardContext): Promise<void> {
  const {terminal, market} = ctx
  const {prompts, say} = terminal
  const reserved = (await currentView(ctx))?.filter((r) => r.reservationNo !== null && r.rentalStatus !== 'Renting')
  if (!reserved) return
  if (reserved.length === 0) return say('Nothing to hand over: no item is reserved.')
  if (!reserved.some(isPaid)) return say(`Nothing to hand over: no reserved item is paid yet (${reserved.length} waiting for payment).`)
  const row = await pick(
    prompts,
    'Which item do you hand over?',
    reserved.map((r) => ({name: `${itemLabel(r)} for ${holder(r)}`, value: r, disabled: isPaid(r) ? false : '(not paid yet)'})),
  )
  if (!row) return
  if (!(await prompts.confirm({message: `Hand ${row.itemName} over to ${holder(row)}?`, default: true}))) return say('Nothing changed.')
  const item = await attemptAgain(terminal, () => market.item.lend({itemNo: row.itemNo}), 'Handing over')
  if (item) say(`→ ${item.itemName} is lent to ${holder(row)}.`)
}

export async function takeBackItem(ctx: WizardContext): Promise<void> {
  const {terminal, market} = ctx
  const {prompts, say} = terminal
  const lent = (await currentView(ctx))?.filter((r) => r.rentalStatus === 'Renting')
  if (!lent) return
  if (lent.length === 0) return say('Nothing to take back: no item is lent out.')
  const row = await pick(prompts, 'Which item do you take back?', lent.map((r) => ({name: `${itemLabel(r)} from ${holder(r)}`, value: r})))
  if (!row) return
  if (!(await prompts.confirm({message: `Take ${row.itemName} back from ${holder(row)}?`, default: true}))) return say('Nothing changed.')
  const item = await attemptAgain(terminal, () => market.item.return({itemNo: row.itemNo}), 'Taking back')
  if (item) say(`→ ${item.itemName} is back: the rental is completed and it is rentable again.`)
}

export async function deleteItem(ctx: WizardContext): Promise<void> {
  const {terminal, market} = ctx
  const {prompts, say} = terminal
  const rows = await currentView(ctx)
  if (!rows) return
  if (rows.length === 0) return say('No items registered.')
  const row = await pick(
    prompts,
    'Which item do you delete?',
    rows.map((r) => ({
      name: r.reservationNo === null ? itemLabel(r) : `${itemLabel(r)}, reserved by ${holder(r)}`,
      value: r,
      disabled: r.rentalStatus === 'Renting' ? '(lent out: take it back first)' : false,
    })),
  )
  if (!row) return
  // force only when the person saw the reservation and agreed to cancel it: one made after the
  // list was shown is refused by the item service (not forced away unseen)
  const force = row.reservationNo !== null
  const question = force
    ? `${row.itemName} is reserved by ${holder(row)}: delete it, ${isPaid(row) ? 'cancelling and refunding' : 'cancelling'} ` +
      `reservation ${row.reservationNo}?`
    : `Delete ${row.itemName} (item ${row.itemNo})? This cannot be undone.`
  if (!(await prompts.confirm({message: question, default: false}))) return say('Nothing deleted.')
  const deleted = await attemptAgain(terminal, () => market.item.delete({itemNo: row.itemNo, force}), 'Deleting')
  if (!deleted) return
  say(
    deleted.reservationNo === null
      ? `→ Deleted ${row.itemName}.`
      : `→ Deleted ${row.itemName}; reservation ${deleted.reservationNo} is being cancelled${isPaid(row) ? ' and refunded' : ''}.`,
  )
}

const isPaid = (row: ViewRow) => row.paymentStatus === 'Paid'

const currentView = ({terminal, market}: WizardContext) => attempt(terminal, async () => (await market.view.list({}))._embedded.itemInfoes)
