import type {Command, Contract, HttpBinding, HttpMethod, OutputOf, RequestOf} from '../contract/index.js'
import {requestOf, routes} from '../contract/routes.js'

/** One HTTP request to the gateway (GatewayClient.call): its JSON answer, or a GdError. */
export type Call = (method: HttpMethod, path: string, body?: unknown) => Promise<unknown>

/** The commands of one service that a client can send: those with a place on the gateway. */
type Sendable<C> = {
  [K in keyof C as C[K] extends {http: readonly HttpBinding[]} ? K : never]: C[K] extends Command ? (input: RequestOf<C[K]>) => Promise<OutputOf<C[K]>> : never
}

/**
 * The market as a client sees it, made from the contract table (src/contract/): a function for
 * each command, typed by its schemas, that sends the command's HTTP request. The plain commands,
 * the wizard and `gdmarket load` all go through it, so a wizard step is exactly the request of its
 * plain command. `market.reservation.pay({reservationNo: 7})` sends
 * `PATCH /reservations/7 {"paymentStatus": "Paid"}` and answers with the reservation and its payment.
 */
export type Market = {[S in keyof Contract]: Sendable<Contract[S]>}

export function marketClient(call: Call): Market {
  const client: Record<string, Record<string, (input: Record<string, unknown>) => Promise<unknown>>> = {}
  // the contract's routes, not its table: a command's request needs no zod schema (src/contract/routes.ts)
  for (const [service, commands] of Object.entries(routes)) {
    client[service] = {}
    for (const [name, bindings] of Object.entries(commands) as [string, readonly HttpBinding[]][]) {
      client[service][name] = (input) => {
        const {method, path, body} = requestOf(bindings[0], input)
        return call(method, path, body)
      }
    }
  }
  return client as unknown as Market
}
