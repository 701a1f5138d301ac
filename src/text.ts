/**
 * Names and customer fields: printable text of at most MAX_TEXT characters (docs/http-api.md).
 * Control characters (ANSI escapes, newlines, bells) would be printed into operators' terminals.
 * Plain rules without a schema library, so the CLI checks them before it sends anything.
 */
export const MAX_TEXT = 200

/**
 * What may not be in such text: control characters, and the invisible ones that rewrite how a
 * line reads (bidi overrides and isolates such as U+202E, zero-width spaces, the BOM). The
 * zero-width joiner of emoji sequences stays allowed.
 */
export const UNPRINTABLE = /[\p{Cc}\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]/u

/** The largest item, reservation or payment number and price: 15 digits, as the gateway's paths take. */
export const MAX_NUMBER = 999_999_999_999_999

/** What is wrong with a name or customer field, or undefined when it is fine. */
export function textProblem(value: string): string | undefined {
  if (value.trim() === '') return 'must not be empty'
  if (value.length > MAX_TEXT) return `must be at most ${MAX_TEXT} characters`
  // a lone surrogate is no character at all, and prints as garbage
  if (UNPRINTABLE.test(value) || !value.isWellFormed()) return 'must be printable text, without control characters'
  return undefined
}
