import type {NextStep} from '../nextStep.js'

/**
 * A refusal's next step as the command line that takes it (the gateway renders the same step as
 * its HTTP request, the wizard as where to go). Every step has a line here, or the build fails.
 */
const lines: {[C in NextStep['command']]: (step: Extract<NextStep, {command: C}>) => string} = {
  'item.list': () => 'item list',
  'item.register': () => 'item register --name NAME --price N',
  'item.return': ({itemNo}) => `return ${itemNo}`,
  'item.delete': ({itemNo}) => `item delete ${itemNo} --force`,
  'reservation.reserve': ({itemNo}) => `reserve ${itemNo} --customer NAME`,
  'reservation.list': () => 'reservation list',
  'reservation.pay': ({reservationNo}) => `pay ${reservationNo}`,
  'payment.list': () => 'payment list',
  'view.list': () => 'view',
  status: () => 'status',
  events: () => 'events',
  logs: ({service}) => `logs ${service}`,
  'service.start': ({service}) => `service start ${service}`,
  'service.restart': ({service}) => `service restart ${service}`,
  'store.recover': ({service}) => `store recover ${service}`,
  'service.stop': ({service}) => `service stop ${service}`,
  'store.migrate': ({service, to}) => `store migrate ${service} --to ${to}`,
  token: () => 'token',
  'config.set': ({key}) => `config set ${key} ${key === 'home' ? 'LAT,LON' : 'VALUE'}`,
  up: () => 'up',
}

/** `gdmarket pay 7`, in backticks (the --data-dir in use is added where the message is shown); none for a step this CLI does not know. */
export function nextLine(step: NextStep | undefined): string | undefined {
  const line = step && Object.hasOwn(lines, step.command) ? (lines[step.command] as (step: NextStep) => string)(step) : undefined
  return line === undefined ? undefined : `\`gdmarket ${line}\``
}

/** A refusal as the CLI says it: the message, then the command line of its next step. */
export const withNextLine = (message: string, step: NextStep | undefined): string => {
  const line = nextLine(step)
  return line ? `${message}: ${line}` : message
}
