/**
 * How many terminal columns a text takes (string-width), for the tables of people's output.
 * Loaded only when a command prints for people (GdCommand's init, without --json): string-width
 * builds an Intl.Segmenter and Unicode-property regular expressions as it loads, about 15 ms of a
 * command's start here, which --json output never needs (docs/performance.md).
 */
let width: ((text: string) => number) | undefined

export async function loadTextWidth(): Promise<void> {
  width ??= (await import('string-width')).default
}

export function textWidth(text: string): number {
  if (!width) throw new Error('textWidth() before loadTextWidth(): a table is printed by a path that did not load it')
  return width(text)
}
