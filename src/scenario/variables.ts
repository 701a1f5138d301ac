import {addDays, dayIn, machineTimeZone} from '../calendar.js'

/**
 * `${name}` in a step's command line and expected values, replaced by what an earlier step saved
 * (docs/scenarios.md). Values are substituted as text, which is why `"${item}"` matches the number 7.
 */
export type Variables = ReadonlyMap<string, unknown>

/**
 * The variables every scenario has: `today` and `day1` (tomorrow) to `day90`, as YYYY-MM-DD in
 * the machine's time zone (a fresh stack's; with --data-dir, set the stack's timeZone to match),
 * so a booking for dates stays in the future whenever the file runs. Made when a scenario asks: the
 * machine's time zone costs ICU's start (~10 ms), which no other command's start should pay.
 */
export const builtInDays = (): Map<string, string> =>
  new Map(Array.from({length: 91}, (_, n): [string, string] => [n === 0 ? 'today' : `day${n}`, addDays(dayIn(machineTimeZone()), n)]))

const reference = /\$\{([^}]*)\}/g
export const variableName = /^[A-Za-z_][\w]*$/

/** The names a text refers to, in order (for the check that each was saved before it is used). */
export function referencedNames(text: string): string[] {
  return [...text.matchAll(reference)].map((m) => m[1])
}

/** Every name referenced anywhere in an expected value (strings inside objects and arrays). */
export function referencedNamesDeep(value: unknown): string[] {
  if (typeof value === 'string') return referencedNames(value)
  if (Array.isArray(value)) return value.flatMap(referencedNamesDeep)
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(referencedNamesDeep)
  return []
}

export class UnknownVariable extends Error {
  constructor(readonly variable: string) {
    super(`\${${variable}} was not saved by an earlier step`)
  }
}

/** A saved value as text: strings as they are, anything else as JSON (numbers, objects). */
export const asText = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value))

export function substitute(text: string, vars: Variables): string {
  return text.replace(reference, (_, name: string) => {
    if (!vars.has(name)) throw new UnknownVariable(name)
    return asText(vars.get(name))
  })
}

/** Substitutes inside every string of an expected value; keys and non-strings stay as they are. */
export function substituteDeep(value: unknown, vars: Variables): unknown {
  if (typeof value === 'string') return substitute(value, vars)
  if (Array.isArray(value)) return value.map((v) => substituteDeep(v, vars))
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteDeep(v, vars)]))
  }
  return value
}
