import type {PublicItem} from '../services/item/item.js'
import type {Payment} from '../services/payment/payment.js'
import type {PublicReservation} from '../services/reservation/reservation.js'
import type {ViewRow} from '../services/view/itemView.js'
import {duration, recordsTable, table} from './render.js'

/** How each record looks to a person; --json shows the records themselves (DESIGN §4). */
export const itemsTable = (items: PublicItem[]) =>
  recordsTable(items, ['itemNo', 'itemName', 'itemPrice', 'itemStatus', 'rentalStatus', 'reservationNo'])

export const reservationsTable = (rs: PublicReservation[]) =>
  recordsTable(rs, ['reservationNo', 'itemNo', 'itemName', 'itemPrice', 'customerName', 'customerId', 'reservationStatus', 'paymentStatus', 'rentalStatus'])

export const paymentsTable = (ps: Payment[]) => recordsTable(ps, ['paymentNo', 'reservationNo', 'itemNo', 'amount', 'paymentStatus'])

export const viewTable = (rows: ViewRow[]) =>
  recordsTable(rows, ['itemNo', 'itemName', 'itemPrice', 'itemStatus', 'rentalStatus', 'reservationNo', 'customerName', 'customerId', 'paymentStatus'])

export interface StackStatus {
  port: number
  processes: {name: string; state: string; pid: number | null; uptimeMs: number; restarts: number; lastExit: string | null; lastError: string | null}[]
  breakers: {name: string; state: string}[]
}

export const statusTable = (s: StackStatus) =>
  table(
    ['process', 'state', 'pid', 'uptime', 'restarts', 'last exit'],
    s.processes.map((p) => [p.name, p.state, p.pid, duration(p.uptimeMs), p.restarts, p.lastError ?? p.lastExit]),
  )
