// @ts-check
/**
 * `npm run bundle` (part of `npm run build`): the supervisor's and a daemon's entry points, each
 * with everything it imports, as one ESM file under dist/bundle/ in the layout of dist/ — so the
 * supervisor finds the daemon's bundle where it would find its module. One file loads in half the
 * time of the ~300 modules and takes less memory (README, Performance). CommonJS dependencies
 * inside get what Node gives CommonJS modules: `require`, and `__filename`/`__dirname` (the
 * bundle's; write-file-atomic only hashes its own into temp file names).
 */
import {build} from 'esbuild'

await build({
  entryPoints: ['dist/stack/main.js', 'dist/services/main.js'],
  outbase: 'dist',
  outdir: 'dist/bundle',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  logLevel: 'warning',
  banner: {
    js: [
      "import {createRequire as __gdmarketRequire} from 'node:module'",
      "import {fileURLToPath as __gdmarketPath} from 'node:url'",
      "import {dirname as __gdmarketDirname} from 'node:path'",
      'const require = __gdmarketRequire(import.meta.url)',
      'const __filename = __gdmarketPath(import.meta.url)',
      'const __dirname = __gdmarketDirname(__filename)',
    ].join(';'),
  },
})
