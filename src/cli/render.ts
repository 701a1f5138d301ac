import Table from 'cli-table3'

import {badInput} from '../errors.js'
import {UNPRINTABLE} from '../text.js'
import {fitColumns, terminalWidth} from './tableFit.js'
import {textWidth as stringWidth} from './textWidth.js'

/** Colour only for a person at a terminal who did not ask for none (NO_COLOR). */
const useColor = () => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR

/** A cell as text, with anything unprintable shown as an escape: a stored name must not drive the terminal. */
export const cellText = (cell: unknown): string =>
  cell === null || cell === undefined ? '-' : String(cell).replace(new RegExp(UNPRINTABLE, 'gu'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

/** How a table is laid out: to fit `width`, or every column whole (`--wide`), or only some (`--columns`). */
export interface Layout {
  width: number
  wide: boolean
  columns?: string[]
}

/** Fit the terminal (80 columns when stdout is not one). */
export const defaultLayout = (): Layout => ({width: terminalWidth(), wide: false})

/** One column of a table of records. */
export interface Column<R> {
  /** its header, and its name for --columns */
  head: string
  value: (row: R) => unknown
  /** a shorter form of the value, unless --wide (a time of day for a timestamp) */
  narrow?: (row: R) => unknown
  /** free text, cut short with … to fit, down to this many characters */
  shrink?: number
  /** left out to fit (kept with --wide); the highest goes first */
  drop?: number
  /** only with --wide (or --columns): what the other columns already say */
  wideOnly?: boolean
}

/** how far a place a search found is: `850 m`, `1.2 km` */
export const away = (metres: number): string => (metres < 1000 ? `${metres} m` : `${(metres / 1000).toFixed(1)} km`)

export function table(head: string[], rows: unknown[][], colWidths?: number[]): string {
  // cli-table3 lays a table out in time quadratic in its rows (each cell looks at every row above
  // it: half a second for view's 1,700): with the columns' widths fixed, it draws 100 rows at a
  // time, and the pieces are joined where one's bottom border would be
  if (colWidths && rows.length > TABLE_PIECE) {
    const pieces = Array.from({length: Math.ceil(rows.length / TABLE_PIECE)}, (_, n) => table(head, rows.slice(n * TABLE_PIECE, (n + 1) * TABLE_PIECE), colWidths).split('\n'))
    const belowHead = pieces[0].findIndex((line) => line.includes('├')) // the line under the head, as between rows
    return pieces.map((lines, n) => [...lines.slice(n === 0 ? 0 : belowHead + 1, -1), n === pieces.length - 1 ? lines.at(-1) : lines[belowHead]].join('\n')).join('\n')
  }
  // cli-table3 colours even when piped unless its style is emptied; it cuts a cell longer than its width with …
  const t = new Table({
    head,
    ...(colWidths && {colWidths: colWidths.map((w) => w + 2)}),
    style: useColor() ? {head: ['cyan'], border: ['grey']} : {head: [], border: []},
  })
  for (const row of rows) t.push(row.map(cellText))
  return t.toString()
}

const TABLE_PIECE = 100

/** The columns --columns names, in its order (exit 2 for a name the table does not have). */
function chosen<R>(columns: Column<R>[], names: string[]): Column<R>[] {
  return names.map((name) => {
    const column = columns.find((c) => c.head.toLowerCase() === name.trim().toLowerCase())
    if (!column) throw badInput(`--columns: this table has no column "${name}"; its columns are ${columns.map((c) => c.head).join(',')}`)
    return {...column, drop: undefined} // asked for by name: cut short if need be, never left out
  })
}

/** A table of records that fits `layout.width` (see src/cli/tableFit.ts); `--wide` shows every column whole. */
export function columnsTable<R>(columns: Column<R>[], rows: R[], layout: Layout = defaultLayout()): string {
  const shown = layout.columns ? chosen(columns, layout.columns) : layout.wide ? columns : columns.filter((c) => !c.wideOnly)
  const cells = rows.map((row) => shown.map((c) => cellText(layout.wide || !c.narrow ? c.value(row) : c.narrow(row))))
  const head = shown.map((c) => c.head)
  if (layout.wide) return table(head, cells)
  const fits = shown.map((c, i) => {
    const natural = Math.max(stringWidth(c.head), ...cells.map((row) => stringWidth(row[i])))
    return {natural, min: c.shrink === undefined ? natural : Math.min(natural, Math.max(c.shrink, stringWidth(c.head))), drop: c.drop}
  })
  const {keep, widths} = fitColumns(fits, layout.width)
  return table(
    keep.map((i) => head[i]),
    cells.map((row) => keep.map((i) => row[i])),
    widths,
  )
}

export function duration(ms: number): string {
  if (ms <= 0) return '-'
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${s % 60}s`
  return `${Math.floor(m / 60)}h${m % 60}m`
}

/** A line no wider than `width` terminal columns, cut with … (a --follow line is no table cli-table3 could cut). */
export function cutToWidth(line: string, width: number): string {
  if (stringWidth(line) <= width) return line
  let cut = ''
  for (const char of line) {
    if (stringWidth(cut + char) > width - 1) break
    cut += char
  }
  return `${cut}…`
}

/** The time of day of an ISO timestamp (`21:05:35.488Z`): a narrow table's time; --wide and --json have the date. */
export const timeOfDay = (iso: string | null | undefined) => (typeof iso === 'string' && iso.length > 11 ? iso.slice(11) : iso)
