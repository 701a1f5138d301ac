/**
 * Which events a consumer has applied, per source: every seq up to `upTo`, plus the ones above it.
 * Exact (a redelivered event is always recognised) and small: consumers take every event of a
 * source they follow, so gaps close and `above` stays short.
 */
export type Inbox = Record<string, {upTo: number; above: number[]}>

export function hasApplied(inbox: Inbox, source: string, seq: number): boolean {
  const mark = inbox[source]
  return mark !== undefined && (seq <= mark.upTo || mark.above.includes(seq))
}

export function recordApplied(inbox: Inbox, source: string, seq: number): Inbox {
  const mark = inbox[source] ?? {upTo: 0, above: []}
  if (seq <= mark.upTo || mark.above.includes(seq)) return inbox
  let upTo = mark.upTo
  const above = [...mark.above, seq].sort((a, b) => a - b)
  while (above[0] === upTo + 1) upTo = above.shift()!
  return {...inbox, [source]: {upTo, above}}
}
