// @ts-check
/** Progress and notes go to stderr (stdout is for the results), stamped with the time since start. */
const began = performance.now()

/** @param {string} message */
export function progress(message) {
  const s = ((performance.now() - began) / 1000).toFixed(1).padStart(6)
  process.stderr.write(`bench ${s}s  ${message}\n`)
}
