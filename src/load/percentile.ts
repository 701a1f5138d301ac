/**
 * Nearest-rank percentile: the smallest sample with at least p % of the samples at or below it
 * (rank ⌈p/100 · n⌉ in ascending order). Always a measured value, never an interpolation, so
 * p99 of 20 samples is the slowest one. `sorted` must be ascending; undefined when it is empty.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[Math.min(rank, sorted.length) - 1]
}

/** Milliseconds to one decimal, as reported. */
export const round1 = (ms: number) => Math.round(ms * 10) / 10

/** Two decimals, as the rate is reported. */
export const round2 = (value: number) => Math.round(value * 100) / 100
