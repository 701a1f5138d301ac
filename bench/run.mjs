// @ts-check
/**
 * `npm run bench`: measures gdmarket beside its limits (issue 6). Runs against the compiled code
 * in dist/ — build first with `npx tsc -p tsconfig.json && npx oclif manifest` (or `npm run build`).
 * Every stack and helper process it starts is stopped again, also on an error or Ctrl-C.
 */
import {existsSync} from 'node:fs'

import {parseOptions, usage} from './options.mjs'

/** @type {import('./options.mjs').Options | 'help'} */
let options
try {
  options = parseOptions(process.argv.slice(2))
} catch (error) {
  console.error(`bench: ${/** @type {Error} */ (error).message}\n${usage}`)
  process.exit(2)
}
if (options === 'help') {
  console.log(usage)
  process.exit(0)
}
if (!existsSync(new URL('../dist/bus/connect.js', import.meta.url)) || !existsSync(new URL('../oclif.manifest.json', import.meta.url))) {
  console.error('bench: dist/ is not built; run `npx tsc -p tsconfig.json && npx oclif manifest` (or `npm run build`) first')
  process.exit(2)
}

const {runBenchmark} = await import('./bench.mjs')
const {stopEverything} = await import('./stacks.mjs')

/** @type {Promise<never> | null} */
let exiting = null
/**
 * The one way out: stops everything, then exits. The first reason wins — after Ctrl-C, the
 * measurement that fails because its stack went away does not turn the exit into a success.
 * @param {number} code @param {string} [why]
 */
const stopAndExit = (code, why) =>
  (exiting ??= (async () => {
    if (why) console.error(`bench: ${why}; stopping every stack it started`)
    await stopEverything()
    process.exit(code)
  })())
process.on('SIGINT', () => void stopAndExit(130, 'interrupted'))
process.on('SIGTERM', () => void stopAndExit(143, 'terminated'))

try {
  await runBenchmark(options)
} catch (error) {
  if (!exiting) console.error(`bench: failed: ${/** @type {Error} */ (error).stack ?? error}`)
  await stopAndExit(1, 'failed')
}
await stopAndExit(0)
