import Table from 'cli-table3'

/** Colour only for a person at a terminal who did not ask for none (NO_COLOR). */
const useColor = () => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR

/** A cell as text, with anything unprintable shown as an escape: a stored name must not drive the terminal. */
export const cellText = (cell: unknown): string =>
  cell === null || cell === undefined ? '-' : String(cell).replace(/\p{Cc}/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)

export function table(head: string[], rows: unknown[][]): string {
  // cli-table3 colours even when piped unless its style is emptied
  const t = new Table({head, style: useColor() ? {head: ['cyan'], border: ['grey']} : {head: [], border: []}})
  for (const row of rows) t.push(row.map(cellText))
  return t.toString()
}

/** One table whose columns are the given fields of each record. */
export function recordsTable<T extends object>(records: T[], fields: (keyof T & string)[]): string {
  return table(fields, records.map((r) => fields.map((f) => r[f])))
}

export function duration(ms: number): string {
  if (ms <= 0) return '-'
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${s % 60}s`
  return `${Math.floor(m / 60)}h${m % 60}m`
}
