import type {Booking, FoundRow, Item, Payment, Reservation, ViewRow} from '../contract/records.js'
import type {SettingKey, SettingSource, SettingValue} from '../config.js'
import type {ProcessStatus} from '../stack/supervisor.js'
import type {BreakerSummary} from '../runtime/service.js'
import {shortId} from './eventText.js'
import type {RunningStack} from './knownStacks.js'
import {away, cellText, columnsTable, defaultLayout, duration, timeOfDay, type Column, type Layout} from './render.js'
import {withNextLine} from './nextLine.js'

/**
 * How each record looks to a person, in short headers that fit 80 columns (docs/commands.md#tables-and-the-terminal);
 * --json shows the records themselves. `drop` marks what is left out first when the terminal is narrow.
 */
/**
 * What a renter asks of an item, in their words: can I have it? `NotRenting` and `Returned` both
 * mean it is in (the owner has it), which is `available` unless it is reserved. Tables only:
 * --json keeps the statuses.
 */
export const availability = ({itemStatus, rentalStatus}: {itemStatus: string; rentalStatus: string}): string =>
  rentalStatus === 'Renting' ? 'lent out' : itemStatus === 'Rentable' ? 'available' : 'reserved'

// for a renter the price and whether it is available matter most: the status (which `rental` now
// says in words) goes first when the terminal is narrow, the price never
const itemColumns: Column<Item>[] = [
  {head: '#', value: (i) => i.itemNo},
  {head: 'item', value: (i) => i.itemName, shrink: 12},
  {head: 'price', value: (i) => i.itemPrice},
  {head: 'status', value: (i) => i.itemStatus, drop: 2},
  {head: 'rental', value: availability},
  {head: 'res', value: (i) => i.reservationNo, drop: 1},
]

export const reservationColumns: Column<Reservation>[] = [
  {head: 'res', value: (r) => r.reservationNo},
  {head: 'item#', value: (r) => r.itemNo, drop: 1},
  {head: 'item', value: (r) => r.itemName, shrink: 10},
  {head: 'price', value: (r) => r.itemPrice, drop: 2},
  {head: 'customer', value: (r) => r.customerName, shrink: 10},
  {head: 'id', value: (r) => r.customerId, shrink: 8, drop: 3},
  {head: 'status', value: (r) => r.reservationStatus},
  {head: 'paid', value: (r) => r.paymentStatus},
  {head: 'rental', value: (r) => r.rentalStatus},
]

const paymentColumns: Column<Payment>[] = [
  {head: '#', value: (p) => p.paymentNo},
  {head: 'res', value: (p) => p.reservationNo},
  {head: 'item#', value: (p) => p.itemNo},
  {head: 'amount', value: (p) => p.amount},
  {head: 'status', value: (p) => p.paymentStatus},
]

const viewColumns: Column<ViewRow>[] = [
  {head: '#', value: (r) => r.itemNo},
  {head: 'item', value: (r) => r.itemName, shrink: 10},
  {head: 'price', value: (r) => r.itemPrice},
  {head: 'status', value: (r) => r.itemStatus, drop: 5},
  {head: 'rental', value: availability},
  {head: 'res', value: (r) => r.reservationNo, drop: 3},
  {head: 'customer', value: (r) => r.customerName, shrink: 10, drop: 1},
  {head: 'id', value: (r) => r.customerId, shrink: 8, drop: 4},
  {head: 'paid', value: (r) => r.paymentStatus, drop: 2},
]

export const itemsTable = (items: Item[], layout?: Layout) => columnsTable(itemColumns, items, layout)
/** `2026-12-10–12`, `2026-12-10 → 2027-01-02`, `2026-12-06 →` (until returned) */
export function daysText({rentFrom, rentTo}: {rentFrom: string | null; rentTo: string | null}): string | null {
  if (rentFrom === null) return null
  if (rentTo === null) return rentFrom === '0000-01-01' ? 'until returned' : `${rentFrom} →`
  if (rentFrom === rentTo) return rentFrom
  return rentFrom.slice(0, 8) === rentTo.slice(0, 8) ? `${rentFrom}–${rentTo.slice(8)}` : `${rentFrom} → ${rentTo}`
}
const datedColumns: Column<Reservation>[] = [
  {head: 'days', value: daysText, shrink: 12},
  {head: 'amount', value: (r) => r.amount, drop: 2},
]

/** Reservations; with dated bookings among them, their days and what they cost, after the item. */
export const reservationsTable = (rs: Reservation[], layout?: Layout) =>
  columnsTable(rs.some((r) => r.rentTo !== null) ? [...reservationColumns.slice(0, 4), ...datedColumns, ...reservationColumns.slice(4)] : reservationColumns, rs, layout)

/** `item calendar`: an item's booked periods. */
export const calendarTable = (bookings: Booking[], layout?: Layout) =>
  columnsTable<Booking>([
    {head: 'res', value: (b) => b.reservationNo},
    {head: 'from', value: (b) => b.from},
    {head: 'to', value: (b) => b.to ?? 'until returned'},
  ], bookings, layout)
export const paymentsTable = (ps: Payment[], layout?: Layout) => columnsTable(paymentColumns, ps, layout)
const awayColumn: Column<FoundRow> = {head: 'away', value: (r) => (r.distanceM === undefined ? null : away(r.distanceM))}

/** The view; a search near a place adds how far each row is, after its price. */
export const viewTable = (rows: FoundRow[], layout?: Layout) =>
  columnsTable(rows.some((r) => r.distanceM !== undefined) ? [...viewColumns.slice(0, 3), awayColumn, ...viewColumns.slice(3)] : viewColumns, rows, layout)

/** A process as the supervisor reports it. */
export type ProcessRow = ProcessStatus

export interface StackStatus {
  port: number
  gateway: {httpPort: number; address: string; socket: string | null; auth: 'token' | 'none'}
  processes: ProcessRow[]
  breakers: BreakerSummary[]
  deadLetters: {service: string; eventId: string; type: string; error: string}[]
}

const processColumns: Column<ProcessRow>[] = [
  {head: 'process', value: (p) => p.name},
  {head: 'state', value: (p) => p.state},
  {head: 'pid', value: (p) => p.pid},
  {head: 'uptime', value: (p) => duration(p.uptimeMs)},
  {head: 'restarts', value: (p) => p.restarts},
  {head: 'ignored', value: (p) => p.poisonMessages, drop: 1},
  {head: 'last exit', value: (p) => p.lastError ?? p.lastExit, shrink: 12},
]

const breakerColumns: Column<BreakerSummary>[] = [
  {head: 'circuit breaker', value: (b) => `${b.service} → ${b.name}`, shrink: 15},
  {head: 'state', value: (b) => b.state},
  {head: 'calls', value: (b) => b.calls},
  {head: 'failures', value: (b) => b.failures},
  {head: 'rejected', value: (b) => b.rejects},
  {head: 'next try', value: (b) => b.nextAttemptAt, narrow: (b) => timeOfDay(b.nextAttemptAt)},
]

const deadLetterColumns: Column<StackStatus['deadLetters'][number]>[] = [
  {head: 'service', value: (d) => d.service},
  {head: 'type', value: (d) => d.type},
  {head: 'event', value: (d) => d.eventId, narrow: (d) => shortId(d.eventId), drop: 1},
  {head: 'error', value: (d) => d.error, shrink: 20},
]

export const processTable = (processes: ProcessRow[], layout?: Layout) => columnsTable(processColumns, processes, layout)

export function statusReport(s: StackStatus, layout: Layout = defaultLayout()): string {
  const lines = [
    `gateway: ${s.gateway.address} · ${
      s.gateway.auth === 'none' ? 'WARNING: the TCP port is open to every local user (setting httpAuth 0)' : 'TCP wants the token (`gdmarket token`)'
    }`,
    ...(s.gateway.socket ? [`socket: ${s.gateway.socket}`] : []),
    `broker: 127.0.0.1:${s.port}`,
    processTable(s.processes, layout),
    // the table cuts long reasons to fit: a process that is not online gets its reason whole
    ...s.processes.filter((p) => p.state !== 'online' && p.lastError).map((p) => `${p.name}: ${withNextLine(cellText(p.lastError), p.next ?? undefined)}`),
  ]
  if (s.breakers.length > 0) lines.push(columnsTable(breakerColumns, s.breakers, layout))
  lines.push(s.deadLetters.length === 0 ? 'dead letters: none' : `dead letters:\n${columnsTable(deadLetterColumns, s.deadLetters, layout)}`)
  return lines.join('\n')
}

const stackColumns: Column<RunningStack>[] = [
  {head: 'data dir', value: (s) => s.dataDir},
  {head: 'pid', value: (s) => s.pid},
  {head: 'gateway', value: (s) => `http://127.0.0.1:${s.httpPort}`, drop: 2},
  {head: 'broker', value: (s) => s.port, drop: 1},
  {head: 'uptime', value: (s) => duration(Date.now() - Date.parse(s.startedAt))},
]

/** `gdmarket stacks`: where this user's stacks run. */
export const stacksTable = (stacks: RunningStack[], layout?: Layout) => columnsTable(stackColumns, stacks, layout)

/** A setting as `config list` shows it. */
export interface SettingRow {
  key: SettingKey
  value: SettingValue
  source: SettingSource
  default: SettingValue
  env: string
}

const settingColumns: Column<SettingRow>[] = [
  {head: 'setting', value: (r) => r.key},
  {head: 'value', value: (r) => r.value},
  {head: 'from', value: (r) => r.source},
  {head: 'default', value: (r) => r.default, drop: 1},
  {head: 'env', value: (r) => r.env, drop: 2}, // GDMARKET_ and the key in capitals: left out first
]

export const settingsListTable = (rows: SettingRow[], layout?: Layout) => columnsTable(settingColumns, rows, layout)
