import type {NextStep} from '../nextStep.js'

/**
 * A refusal's next step as the wizard says it: where to go in its own menus (the CLI says the same
 * step as a command line, the gateway as an HTTP request). Steps only an operator takes at a
 * terminal (start a service, read a log) have no hint: the wizard offers to try again instead.
 */
const hints: Partial<{[C in NextStep['command']]: (step: Extract<NextStep, {command: C}>) => string}> = {
  'reservation.pay': ({reservationNo}) => `pay reservation ${reservationNo} under Renter → My reservations`,
  'reservation.list': () => 'see your reservations under Renter → My reservations',
  'reservation.reserve': ({itemNo}) => `reserve item ${itemNo} under Renter → Rent an item`,
  'view.list': () => 'pick a Rentable item under Renter → Rent an item',
  'item.list': () => 'see the items under Owner',
  'item.register': () => 'register one under Owner → Register an item',
  'item.return': ({itemNo}) => `take item ${itemNo} back under Owner → Take an item back`,
  'item.delete': ({itemNo}) => `delete item ${itemNo} under Owner → Delete an item, and say yes to cancelling its reservation`,
}

export function nextHint(step: NextStep | undefined): string | undefined {
  const hint = step && Object.hasOwn(hints, step.command) ? (hints[step.command] as ((step: NextStep) => string) | undefined) : undefined
  return hint?.(step!)
}
