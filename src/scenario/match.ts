/**
 * Partial matching of a command's JSON output against a step's `expect` (docs/scenarios.md):
 * - an object matches when every expected key matches (other keys are ignored);
 * - a list matches when every expected element matches some element, in any order;
 * - scalars match by value as text, so `"7"` matches `7`; null matches only null.
 * The result says where and why it does not match, in words for the step's line.
 */
export interface Mismatch {
  /** where in the output: `itemStatus`, `error.code`, `[2].paymentStatus`; empty for the whole output */
  path: string
  problem: string
}

/** Every mismatch; empty when the output matches. */
export function match(expected: unknown, actual: unknown): Mismatch[] {
  return mismatches(expected, actual, '')
}

/** One line for a person: the first mismatch, with its path. */
export function describeMismatch(found: Mismatch[]): string {
  const [first] = found
  if (!first) return 'matches'
  return first.path ? `${first.path}: ${first.problem}` : first.problem
}

type Json = Record<string, unknown>
const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)

function mismatches(expected: unknown, actual: unknown, path: string): Mismatch[] {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [{path, problem: `expected a list, got ${show(actual)}`}]
    return expected.flatMap((element) => elementMismatches(element, actual, path))
  }
  if (isObject(expected)) {
    if (!isObject(actual)) return [{path, problem: `expected an object, got ${show(actual)}`}]
    return Object.entries(expected).flatMap(([key, value]) =>
      Object.hasOwn(actual, key)
        ? mismatches(value, actual[key], path ? `${path}.${key}` : key)
        : [{path: path ? `${path}.${key}` : key, problem: `expected ${show(value)}, got nothing (no ${key} in the output)`}],
    )
  }
  return sameScalar(expected, actual) ? [] : [{path, problem: `expected ${show(expected)}, got ${show(actual)}`}]
}

/** An expected element must match some element; if none does, the closest one explains why. */
function elementMismatches(expected: unknown, actual: unknown[], path: string): Mismatch[] {
  if (actual.length === 0) return [{path, problem: `no element matches ${show(expected)}: the list is empty`}]
  let closest: Mismatch[] | undefined
  for (const [index, element] of actual.entries()) {
    const found = mismatches(expected, element, `${path}[${index}]`)
    if (found.length === 0) return []
    if (!closest || found.length < closest.length) closest = found
  }
  return [{path, problem: `no element matches ${show(expected)}; closest: ${describeMismatch(closest!)}`}]
}

function sameScalar(expected: unknown, actual: unknown): boolean {
  if (expected === null || actual === null || expected === undefined || actual === undefined) return expected === actual
  if (typeof actual === 'object') return false
  return String(expected) === String(actual)
}

/** A value as it appears in a message: JSON, cut short. */
export function show(value: unknown, max = 80): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value)
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}
