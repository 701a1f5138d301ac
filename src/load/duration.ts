import {parseDuration} from '../scenario/duration.js'

/** `--duration 500ms|30s|2m` (the same units as a scenario's `within:`). Throws a plain Error: oclif reports it as bad input. */
export function parseLoadDuration(text: string): number {
  const ms = parseDuration(text)
  if (ms === undefined) throw new Error(`expected a duration with its unit, like 500ms, 30s or 2m, got "${text}"`)
  if (ms <= 0) throw new Error(`must be longer than 0, got "${text}"`)
  return ms
}
