/**
 * Names and customer fields: printable text of at most MAX_TEXT characters (docs/http-api.md).
 * Control characters (ANSI escapes, newlines, bells) would be printed into operators' terminals.
 * Plain rules without a schema library, so the CLI checks them before it sends anything.
 */
export const MAX_TEXT = 200

/** What is wrong with a name or customer field, or undefined when it is fine. */
export function textProblem(value: string): string | undefined {
  if (value.trim() === '') return 'must not be empty'
  if (value.length > MAX_TEXT) return `must be at most ${MAX_TEXT} characters`
  if (/\p{Cc}/u.test(value)) return 'must be printable text, without control characters'
  return undefined
}
