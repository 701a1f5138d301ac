import type {Command, HttpBinding} from './command.js'
import {itemCommands} from './item.js'
import {paymentCommands} from './payment.js'
import {reservationCommands} from './reservation.js'
import {viewCommands} from './view.js'

export * from './command.js'

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

/** One HTTP request for a command: the path's fields filled in, the query's in the query string, the rest in the body. */
export function requestOf(binding: HttpBinding, input: Record<string, unknown>): {method: HttpBinding['method']; path: string; body?: Record<string, unknown>} {
  const used = new Set<string>()
  const path = binding.path.replace(/\{(\w+)\}/g, (_, field: string) => (used.add(field), encodeURIComponent(String(input[field]))))
  const query = new URLSearchParams()
  for (const field of Object.keys(binding.query ?? {})) {
    used.add(field)
    if (input[field] !== undefined && input[field] !== false) query.set(field, String(input[field]))
  }
  const rest = Object.fromEntries(Object.entries(input).filter(([field, value]) => !used.has(field) && value !== undefined))
  const body = {...rest, ...binding.when}
  const withQuery = query.size > 0 ? `${path}?${query}` : path
  return binding.method === 'GET' || binding.method === 'DELETE' ? {method: binding.method, path: withQuery} : {method: binding.method, path: withQuery, body}
}
