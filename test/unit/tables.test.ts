import Table from 'cli-table3'
import stringWidth from 'string-width'
import {describe, expect, it} from 'vitest'

import type {Envelope} from '../../src/bus/events.js'
import {eventLine, eventsTable, traceTable} from '../../src/cli/eventText.js'
import {columnsTable, cutToWidth, table, type Layout} from '../../src/cli/render.js'
import {fitColumns} from '../../src/cli/tableFit.js'
import {loadTextWidth} from '../../src/cli/textWidth.js'
import {
  availability,
  itemsTable,
  paymentsTable,
  processTable,
  reservationsTable,
  settingsListTable,
  statusReport,
  viewTable,
  type StackStatus,
} from '../../src/cli/tables.js'
import {withSinceFirst} from '../../src/events/order.js'
import {envName, settingKeys, settingsTable} from '../../src/config.js'

await loadTextWidth() // as GdCommand's init does for people's output

const narrow: Layout = {width: 80, wide: false}
const wide: Layout = {width: 80, wide: true}
const widest = (text: string) => Math.max(...text.split('\n').map((line) => stringWidth(line)))
const headers = (text: string) =>
  text
    .split('\n')[1]
    .split('│')
    .map((h) => h.trim())
    .filter(Boolean)

// realistic rows that are long: a name a person would type, a customer id that is an email address
const longName = 'Canon EOS R5 with RF 24-105mm f/4L lens, two batteries and a 128 GB card'
const longCustomer = 'Maximilian Alexander von Humboldt-Ramírez'
const item = {itemNo: 1042, itemName: longName, itemPrice: 125_000, itemStatus: 'NotRentable', rentalStatus: 'NotRenting', reservationNo: 1007} as const
const reservation = {
  reservationNo: 1007,
  itemNo: 1042,
  itemName: longName,
  itemPrice: 125_000,
  customerName: longCustomer,
  customerId: 'max.humboldt-ramirez@example.org',
  reservationStatus: 'Cancelled',
  paymentStatus: 'NotPaid',
  rentalStatus: 'NotRenting',
  correlationId: '01a2336d-5fc0-768e-a032-b7a77db833d9',
} as const
const viewRow = {...item, customerName: longCustomer, customerId: reservation.customerId, paymentStatus: 'Cancelled'}
const payment = {paymentNo: 1003, reservationNo: 1007, itemNo: 1042, amount: 125_000, paymentStatus: 'Cancelled'} as const

const envelope = (type: string, source: string, time: string, data: object, causationId: string | null = null): Envelope =>
  ({id: `${type}-id`, type, source, time, correlationId: reservation.correlationId, causationId, seq: 1, data}) as Envelope
const events: Envelope[] = [
  envelope('ItemRegistered', 'item', '2026-12-01T21:05:35.488Z', {itemNo: 1042, itemName: longName, itemPrice: 125_000}),
  envelope('Reserved', 'reservation', '2026-12-01T21:05:35.681Z', {...reservation}),
  envelope('ItemDeleted', 'item', '2026-12-01T21:05:36.072Z', {itemNo: 1042, reservationNo: 1007}),
  envelope('ReservationCancelled', 'reservation', '2026-12-01T21:05:36.090Z', {reservationNo: 1007, itemNo: 1042, reason: 'itemDeleted'}, 'ItemDeleted-id'),
  envelope('PaymentCancelled', 'payment', '2026-12-01T21:05:36.110Z', {paymentNo: 1003, reservationNo: 1007, itemNo: 1042, amount: 125_000}, 'ReservationCancelled-id'),
]

const status: StackStatus = {
  port: 42247,
  gateway: {httpPort: 44505, address: 'http://127.0.0.1:44505', socket: '/home/someone/gdmarket/data/run/gateway.sock', auth: 'token'},
  processes: ['supervisor', 'item', 'reservation', 'payment', 'view'].map((name, i) => ({
    name,
    state: i === 3 ? 'restarting' : 'online',
    pid: 3_000_000 + i,
    uptimeMs: 3 * 3600_000 + 59 * 60_000,
    restarts: 12,
    lastExit: 'signal SIGKILL',
    lastError: i === 3 ? 'Error: listen EADDRINUSE: address already in use 127.0.0.1:1883' : null,
    poisonMessages: 1234,
    duplicates: 0,
  })),
  breakers: [
    {name: 'payment', service: 'reservation', state: 'halfOpen', calls: 123_456, failures: 12_345, successes: 1, rejects: 99_999, timeouts: 3, opened: 4, nextAttemptAt: '2026-12-01T21:05:39.000Z'} as never,
  ],
  deadLetters: [{service: 'reservation', eventId: '01a2336d-65db-76a1-944f-0887bd6e7f69', type: 'ReservationCancelled', error: 'Error: no reservation 1007 to cancel: the store was restored from an older copy'}],
}
const settings = settingKeys.map((key) => ({key, value: 1_000_000, source: 'env' as const, default: settingsTable[key].default, env: envName(key)}))

const tables: [string, (layout: Layout) => string][] = [
  ['item list', (l) => itemsTable([item, {...item, itemNo: 7, itemName: 'Lamp'}], l)],
  ['reservation list', (l) => reservationsTable([reservation, {...reservation, reservationNo: 2, customerName: 'Kim'}], l)],
  ['payment list', (l) => paymentsTable([payment], l)],
  ['view', (l) => viewTable([viewRow], l)],
  ['events', (l) => eventsTable(events, l)],
  ['trace', (l) => traceTable(withSinceFirst(events.slice(1)), l)],
  ['status', (l) => statusReport(status, l).split('\n').slice(3).join('\n')], // its tables; the address lines are no table
  ['service restart', (l) => processTable(status.processes, l)],
  ['config list', (l) => settingsListTable(settings, l)],
]

describe('tables fit an 80-column terminal', () => {
  it.each(tables)('%s is at most 80 columns wide, with long rows', (_, render) => {
    expect(widest(render(narrow))).toBeLessThanOrEqual(80)
  })

  it.each(tables)('%s with --wide has every column, nothing cut', (name, render) => {
    const [cut, whole] = [render(narrow), render(wide)]
    expect(whole).not.toContain('…')
    expect(headers(whole)).toEqual(expect.arrayContaining(headers(cut)))
    // every table but the payments' (all numbers and statuses) had to give something up at 80
    if (name !== 'payment list') expect(widest(whole)).toBeGreaterThan(80)
  })

  it('view: --wide shows every column; at 80 the least needed are left out: the status, which rental says in words', () => {
    expect(headers(viewTable([viewRow], wide))).toEqual(['#', 'item', 'price', 'status', 'rental', 'res', 'customer', 'id', 'paid'])
    expect(headers(viewTable([viewRow], narrow))).toEqual(['#', 'item', 'price', 'rental', 'res', 'customer', 'paid'])
  })

  it('short rows keep more columns: a camera for Young shows its customer id', () => {
    const camera = {...viewRow, itemNo: 1, itemName: 'Camera', itemPrice: 100, reservationNo: 1, customerName: 'Young', customerId: 'young01'}
    const text = viewTable([camera], narrow)
    expect(headers(text)).toEqual(['#', 'item', 'price', 'rental', 'res', 'customer', 'id', 'paid'])
    expect(text).not.toContain('…')
  })

  it('a narrow terminal keeps what a renter decides by: the price, and whether the item is available', () => {
    const tent = {...viewRow, itemNo: 2, itemName: 'Tent', itemPrice: 40, itemStatus: 'Rentable', rentalStatus: 'Returned', reservationNo: null, customerName: null, customerId: null, paymentStatus: null}
    for (const width of [60, 45]) {
      const text = viewTable([viewRow, tent], {width, wide: false})
      expect(widest(text)).toBeLessThanOrEqual(width)
      expect(headers(text).slice(0, 4)).toEqual(['#', 'item', 'price', 'rental'])
      expect(text).toMatch(/│ 40 +│ available +│/)
      expect(text).not.toMatch(/NotRenting|Returned/)
    }
    expect(headers(itemsTable([item, tent], {width: 40, wide: false}))).toEqual(['#', 'item', 'price', 'rental'])
  })

  it('rental in words: available (in, not reserved), reserved, lent out; the statuses stay for --json', () => {
    expect(availability({itemStatus: 'Rentable', rentalStatus: 'NotRenting'})).toBe('available')
    expect(availability({itemStatus: 'Rentable', rentalStatus: 'Returned'})).toBe('available')
    expect(availability({itemStatus: 'NotRentable', rentalStatus: 'NotRenting'})).toBe('reserved')
    expect(availability({itemStatus: 'NotRentable', rentalStatus: 'Returned'})).toBe('reserved')
    expect(availability({itemStatus: 'NotRentable', rentalStatus: 'Renting'})).toBe('lent out')
  })

  it('--columns shows those columns in that order, and refuses one the table lacks (exit 2)', () => {
    expect(headers(viewTable([viewRow], {...narrow, columns: ['customer', '#', 'ID']}))).toEqual(['customer', '#', 'id'])
    expect(() => viewTable([viewRow], {...narrow, columns: ['customer', 'colour']})).toThrow(
      expect.objectContaining({exit: 2, message: expect.stringContaining('no column "colour"; its columns are #,item,price')}),
    )
  })

  it('still escapes control characters, and cuts after escaping', () => {
    const text = columnsTable([{head: 'name', value: (s: string) => s, shrink: 8}], ['\u001b[31mred' + 'x'.repeat(100)], narrow)
    expect(text).not.toContain('\u001b')
    expect(text).toContain('\\u001b[31mred')
    expect(widest(text)).toBeLessThanOrEqual(80)
  })

  it('an events --follow line fits too, and --wide has the date and the source', () => {
    for (const e of events) expect(stringWidth(eventLine(e, narrow))).toBeLessThanOrEqual(80)
    expect(eventLine(events[0], wide)).toMatch(/^2026-12-01T21:05:35.488Z {2}item {9}ItemRegistered/)
  })
})

describe('a long table (drawn 100 rows at a time)', () => {
  const head = ['#', 'name']
  const rows = Array.from({length: 250}, (_, i) => [i + 1, `item ${'x'.repeat(i % 13)}`])
  const inOnePiece = (style: object) => {
    const t = new Table({head, colWidths: [5, 12], style})
    for (const row of rows) t.push(row.map(String))
    return t.toString()
  }

  it('is the table cli-table3 draws in one piece, cut cells and all', () => {
    expect(table(head, rows, [3, 10])).toBe(inOnePiece({head: [], border: []}))
  })

  it('in colour too', () => {
    const tty = process.stdout.isTTY
    process.stdout.isTTY = true
    try {
      expect(table(head, rows, [3, 10])).toBe(inOnePiece({head: ['cyan'], border: ['grey']}))
    } finally {
      process.stdout.isTTY = tty
    }
  })
})

describe('fitColumns', () => {
  it('cuts the widest text first, then leaves out the highest drop', () => {
    // 10+20+30 wide plus borders: 1 + 3·3 = 70
    expect(fitColumns([{natural: 10, min: 10}, {natural: 20, min: 5}, {natural: 30, min: 5}], 60)).toEqual({keep: [0, 1, 2], widths: [10, 20, 20]})
    expect(fitColumns([{natural: 10, min: 10, drop: 1}, {natural: 20, min: 20, drop: 2}, {natural: 30, min: 30}], 50)).toEqual({keep: [0, 2], widths: [10, 30]})
  })

  it('keeps a table whole that cannot get narrower', () => {
    expect(fitColumns([{natural: 90, min: 90}], 80)).toEqual({keep: [0], widths: [90]})
  })

  it('cutToWidth counts wide characters as two', () => {
    expect(cutToWidth('日本語のテキスト', 7)).toBe('日本語…')
    expect(cutToWidth('short', 80)).toBe('short')
  })
})
