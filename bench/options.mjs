// @ts-check
/** The benchmark's command line. */
import path from 'node:path'
import {parseArgs} from 'node:util'

export const usage = `usage: npm run bench -- [--quick] [--json] [--out FILE] [--sizes 1000,10000,100000] [--seed-budget 120s] [--cpu-prof DIR] [--strace] [--keep]

  --quick          CI smoke run: small counts, sizes 1000 only, well under a minute
  --json           the results as JSON on stdout (with \`npm run -s bench\`, stdout is only that)
  --out FILE       where the JSON results go (default bench-results.json); always written
  --sizes LIST     item counts for the growth section (default 1000,10000,100000; quick: 1000)
  --seed-budget T  give up seeding a size after T (120s, 2m, 500ms; default 120s)
  --cpu-prof DIR   run the main stack's processes with node --cpu-prof, profiles into DIR
  --strace         count syscalls per rental cycle with strace -c -f, by process and by call
  --keep           keep the stacks' data directories (stores, logs) in the temp dir`

/**
 * @typedef {object} Options
 * @property {boolean} quick
 * @property {boolean} json
 * @property {string} out absolute
 * @property {number[]} sizes
 * @property {number} seedBudgetMs
 * @property {string | null} cpuProfDir absolute
 * @property {boolean} keep
 * @property {boolean} strace
 */

/** @param {string} text @returns {number} milliseconds */
export function parseDuration(text) {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim())
  if (!m) throw new Error(`not a duration: "${text}" (e.g. 120s, 2m, 500ms)`)
  const unit = m[2] ?? 's'
  return Number(m[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : 60_000)
}

/** @param {string[]} argv @returns {Options | 'help'} */
export function parseOptions(argv) {
  const {values} = parseArgs({
    args: argv,
    options: {
      quick: {type: 'boolean', default: false},
      json: {type: 'boolean', default: false},
      out: {type: 'string', default: 'bench-results.json'},
      sizes: {type: 'string'},
      'seed-budget': {type: 'string', default: '120s'},
      'cpu-prof': {type: 'string'},
      keep: {type: 'boolean', default: false},
      strace: {type: 'boolean', default: false},
      help: {type: 'boolean', short: 'h', default: false},
    },
    strict: true,
  })
  if (values.help) return 'help'
  const quick = Boolean(values.quick)
  const sizes = (values.sizes ?? (quick ? '1000' : '1000,10000,100000')).split(',').map((s) => {
    const size = Number(s.trim().replace(/k$/i, '000'))
    if (!Number.isInteger(size) || size < 1) throw new Error(`--sizes: not an item count: "${s}"`)
    return size
  })
  return {
    quick,
    json: Boolean(values.json),
    out: path.resolve(values.out ?? 'bench-results.json'),
    sizes: [...new Set(sizes)].sort((a, b) => a - b),
    seedBudgetMs: parseDuration(values['seed-budget'] ?? '120s'),
    cpuProfDir: values['cpu-prof'] ? path.resolve(values['cpu-prof']) : null,
    keep: Boolean(values.keep),
    strace: Boolean(values.strace),
  }
}
