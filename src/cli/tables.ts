import type {PublicItem} from '../services/item/item.js'
import type {Payment} from '../services/payment/payment.js'
import type {PublicReservation} from '../services/reservation/reservation.js'
import type {ViewRow} from '../services/view/itemView.js'
import type {ProcessStatus} from '../stack/supervisor.js'
import type {BreakerSummary} from '../runtime/service.js'
import {duration, recordsTable, table} from './render.js'

/** How each record looks to a person; --json shows the records themselves (docs/commands.md). */
export const itemsTable = (items: PublicItem[]) =>
  recordsTable(items, ['itemNo', 'itemName', 'itemPrice', 'itemStatus', 'rentalStatus', 'reservationNo'])

export const reservationsTable = (rs: PublicReservation[]) =>
  recordsTable(rs, ['reservationNo', 'itemNo', 'itemName', 'itemPrice', 'customerName', 'customerId', 'reservationStatus', 'paymentStatus', 'rentalStatus'])

export const paymentsTable = (ps: Payment[]) => recordsTable(ps, ['paymentNo', 'reservationNo', 'itemNo', 'amount', 'paymentStatus'])

export const viewTable = (rows: ViewRow[]) =>
  recordsTable(rows, ['itemNo', 'itemName', 'itemPrice', 'itemStatus', 'rentalStatus', 'reservationNo', 'customerName', 'customerId', 'paymentStatus'])

/** A process as the supervisor reports it. */
export type ProcessRow = ProcessStatus

export interface StackStatus {
  port: number
  gateway: {httpPort: number; address: string; socket: string | null; auth: 'token' | 'none'}
  processes: ProcessRow[]
  breakers: BreakerSummary[]
  deadLetters: {service: string; eventId: string; type: string; error: string}[]
}

export const processTable = (processes: ProcessRow[]) =>
  table(
    ['process', 'state', 'pid', 'uptime', 'restarts', 'ignored msgs', 'last exit'],
    processes.map((p) => [p.name, p.state, p.pid, duration(p.uptimeMs), p.restarts, p.poisonMessages, p.lastError ?? p.lastExit]),
  )

export function statusReport(s: StackStatus): string {
  const lines = [
    `gateway: ${s.gateway.address}${s.gateway.socket ? ` · ${s.gateway.socket}` : ''}${
      s.gateway.auth === 'none' ? ' · WARNING: the TCP port is open to every local user (setting httpAuth 0)' : ' · TCP wants the token (`gdmarket token`)'
    }`,
    `broker: 127.0.0.1:${s.port}`,
    processTable(s.processes),
  ]
  if (s.breakers.length > 0) {
    lines.push(
      table(
        ['circuit breaker', 'state', 'calls', 'failures', 'rejected', 'next try'],
        s.breakers.map((b) => [`${b.service} → ${b.name}`, b.state, b.calls, b.failures, b.rejects, b.nextAttemptAt]),
      ),
    )
  }
  lines.push(
    s.deadLetters.length === 0
      ? 'dead letters: none'
      : `dead letters:\n${recordsTable(s.deadLetters, ['service', 'type', 'eventId', 'error'])}`,
  )
  return lines.join('\n')
}
