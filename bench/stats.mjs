// @ts-check
/** Latency samples and their summaries: everything the benchmark reports is built from these. */

/**
 * Nearest-rank percentile: the smallest sample with at least p % of the samples at or below it.
 * Always a measured value (never interpolated), so the p99 of 50 samples is the slowest one.
 * @param {readonly number[]} sorted ascending
 * @param {number} p
 */
export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[Math.min(rank, sorted.length) - 1]
}

/** @param {number} value @param {number} [digits] */
export const round = (value, digits = 2) => (Number.isFinite(value) ? Number(value.toFixed(digits)) : value)

/**
 * @typedef {{count: number, p50Ms: number, p99Ms: number, meanMs: number, maxMs: number}} Summary
 */

/** @param {readonly number[]} samples milliseconds @returns {Summary} */
export function summarise(samples) {
  const sorted = [...samples].sort((a, b) => a - b)
  const sum = sorted.reduce((s, x) => s + x, 0)
  return {
    count: sorted.length,
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    meanMs: round(sorted.length ? sum / sorted.length : NaN),
    maxMs: round(sorted.at(-1) ?? NaN),
  }
}

/** @param {readonly number[]} samples */
export const median = (samples) => percentile([...samples].sort((a, b) => a - b), 50)

/** Samples per named command, kept across rounds so one summary covers every round. */
export class Latencies {
  /** @type {Map<string, number[]>} */
  #samples = new Map()

  /** @param {string} name @param {number} ms */
  add(name, ms) {
    const list = this.#samples.get(name)
    if (list) list.push(ms)
    else this.#samples.set(name, [ms])
  }

  /** Times one call under `name` (only when it succeeds: a failure is counted elsewhere). */
  /** @template T @param {string} name @param {() => Promise<T>} call @returns {Promise<T>} */
  async time(name, call) {
    const began = performance.now()
    const result = await call()
    this.add(name, performance.now() - began)
    return result
  }

  /** @returns {Record<string, Summary>} */
  summary() {
    return Object.fromEntries([...this.#samples].map(([name, samples]) => [name, summarise(samples)]))
  }
}
