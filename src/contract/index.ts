import type {Command} from './command.js'
import {itemCommands} from './item.js'
import {paymentCommands} from './payment.js'
import {reservationCommands} from './reservation.js'
import {viewCommands} from './view.js'

export * from './command.js'
export {requestOf, routes} from './routes.js'

/**
 * The contract table: every command of every service, each declared once. Adding a field to a
 * command's input or output here reaches the gateway, /openapi.json, the service's handler and
 * the CLI's client, or the build fails (docs/architecture.md#the-contract).
 */
export const contract = {
  item: itemCommands,
  reservation: reservationCommands,
  payment: paymentCommands,
  view: viewCommands,
}
export type Contract = typeof contract
export type ContractService = keyof Contract

/** Every command with its name, in table order. */
export const contractCommands = (): {name: string; command: Command}[] =>
  Object.values(contract).flatMap((commands) => Object.entries(commands).map(([name, command]) => ({name, command: command as Command})))
