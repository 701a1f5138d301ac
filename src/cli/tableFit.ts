/**
 * Which columns of a table to show, and how wide, so that it fits the terminal
 * (docs/commands.md#tables-and-the-terminal): free text is cut short first, down to its
 * minimum, then optional columns are left out, the highest `drop` first.
 */
export interface ColumnFit {
  /** the widest cell or header, in terminal columns */
  natural: number
  /** how narrow it may be cut (natural for a column that is never cut) */
  min: number
  /** may be left out to fit; higher goes first */
  drop?: number
}

/** cli-table3 draws a border before each column and after the last, and pads each cell by one on both sides. */
export const tableWidth = (widths: number[]) => widths.reduce((sum, w) => sum + w + 3, 1)

/** The columns kept (their indexes, in order) and the width of each kept one's content. */
export function fitColumns(columns: ColumnFit[], width: number): {keep: number[]; widths: number[]} {
  let keep = columns.map((_, i) => i)
  const narrowest = () => tableWidth(keep.map((i) => columns[i].min))
  while (narrowest() > width) {
    const droppable = keep.filter((i) => columns[i].drop !== undefined)
    if (droppable.length === 0) break // as narrow as it gets: wider than the terminal, but whole
    const first = droppable.reduce((a, b) => (columns[b].drop! >= columns[a].drop! ? b : a))
    keep = keep.filter((i) => i !== first)
  }
  const widths = keep.map((i) => columns[i].natural)
  // cut the widest text one character at a time: long names share what room there is
  for (let over = tableWidth(widths) - width; over > 0; over--) {
    let widest = -1
    widths.forEach((w, k) => {
      if (w > columns[keep[k]].min && (widest < 0 || w > widths[widest])) widest = k
    })
    if (widest < 0) break
    widths[widest]--
  }
  return {keep, widths}
}

/** The terminal's width; when stdout is not a terminal, $COLUMNS, else 80. */
export function terminalWidth(): number {
  if (process.stdout.isTTY && process.stdout.columns > 0) return process.stdout.columns
  const columns = Number(process.env.COLUMNS)
  return Number.isInteger(columns) && columns > 0 ? columns : 80
}
