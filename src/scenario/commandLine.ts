/**
 * Splits a step's `run:` line into words the way a shell would for the simple cases people write:
 * spaces separate, '…' and "…" keep spaces (`--name "Big tent"`), a backslash escapes one
 * character. Nothing else of a shell (no globs, pipes or $VARS): `${name}` is ours and is
 * substituted inside each word afterwards, so a saved value with spaces stays one word.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = []
  let word = ''
  let inWord = false // a quoted empty string ("") is still a word
  let quote: '"' | "'" | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i]
    if (quote === "'") {
      if (c === "'") quote = undefined
      else word += c
    } else if (quote === '"') {
      if (c === '"') quote = undefined
      else if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) word += line[++i]
      else word += c
    } else if (c === "'" || c === '"') {
      quote = c
      inWord = true
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i]
      inWord = true
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word)
      word = ''
      inWord = false
    } else {
      word += c
      inWord = true
    }
  }
  if (quote) throw new Error(`unterminated ${quote} quote`)
  if (inWord) words.push(word)
  return words
}

/** Words back into one line for people, quoting the ones a reader would otherwise misread. */
export function joinCommandLine(words: string[]): string {
  return words.map((w) => (w === '' || /[\s'"\\]/.test(w) ? JSON.stringify(w) : w)).join(' ')
}
