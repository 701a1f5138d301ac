/** `within: 3s` — a duration with its unit (ms, s or m); a bare number would be ambiguous. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(text.trim())
  if (!m) return undefined
  const factor = {ms: 1, s: 1000, m: 60_000}[m[2] as 'ms' | 's' | 'm']
  return Math.round(Number(m[1]) * factor)
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  const s = ms / 1000
  return s < 60 ? `${Number(s.toFixed(1))}s` : `${Number((s / 60).toFixed(1))}m`
}
