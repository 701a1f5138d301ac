import type {HttpBinding} from './command.js'

/** the radius of a search near a place when none is given (`within`), in metres */
export const DEFAULT_WITHIN_M = 5000

const RESERVATION = '/reservations/{reservationNo}'

/**
 * Where each command a client can send is on the gateway, declared once for the contract table
 * (each command's `http`) and the CLI's client. Apart from the schemas because this file needs no
 * zod: a CLI command as a new process sends its request without loading it (docs/performance.md).
 */
export const routes = {
  item: {
    register: [{method: 'POST', path: '/items', status: 201}],
    list: [{method: 'GET', path: '/items'}],
    show: [{method: 'GET', path: '/items/{itemNo}'}],
    lend: [{method: 'PATCH', path: '/items/{itemNo}', when: {rentalStatus: 'Renting'}}],
    return: [{method: 'PATCH', path: '/items/{itemNo}', when: {rentalStatus: 'Returned'}}],
    calendar: [{method: 'GET', path: '/items/{itemNo}/calendar'}],
    delete: [{method: 'DELETE', path: '/items/{itemNo}', query: {force: 'true: also delete a reserved (not lent) item'}}],
  },
  reservation: {
    reserve: [{method: 'POST', path: '/reservations', status: 201}],
    list: [{method: 'GET', path: '/reservations', query: {overdue: 'true: only the rentals still out after their last day'}}],
    show: [{method: 'GET', path: RESERVATION}],
    pay: [{method: 'PATCH', path: RESERVATION, when: {paymentStatus: 'Paid'}}],
    cancelPayment: [{method: 'PATCH', path: RESERVATION, when: {paymentStatus: 'NotPaid'}}],
    cancel: [
      {method: 'PATCH', path: RESERVATION, when: {reservationStatus: 'Cancelled'}},
      {method: 'DELETE', path: RESERVATION},
    ],
  },
  payment: {
    list: [{method: 'GET', path: '/payments'}],
    show: [{method: 'GET', path: '/payments/{paymentNo}'}],
  },
  view: {
    list: [
      {
        method: 'GET',
        path: '/itemInfoes',
        query: {
          near: 'LAT,LON or home (the setting home): only items within `within` of it, nearest first, each with distanceM',
          within: `the radius around near: 500m, 2km (default ${DEFAULT_WITHIN_M / 1000}km)`,
          q: 'words in the name, in any case and with or without accents',
          maxPrice: 'only items whose price (per day) is at most this',
          freeFrom: 'with freeTo: only items with no booking in that period (YYYY-MM-DD, both days included)',
          freeTo: 'the last day of that period',
        },
      },
    ],
    show: [{method: 'GET', path: '/itemInfoes/{itemNo}'}],
  },
} as const satisfies Record<string, Record<string, readonly HttpBinding[]>>

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
