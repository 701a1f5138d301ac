// @ts-check
/**
 * `npm run bundle` (part of `npm run build`): the supervisor's and a daemon's entry points, each
 * with everything it imports, as one ESM file under dist/bundle/ in the layout of dist/ — so the
 * supervisor finds the daemon's bundle where it would find its module — and the CLI's. One file loads in half the
 * time of the ~300 modules and takes less memory (docs/performance.md). CommonJS dependencies
 * inside get what Node gives CommonJS modules: `require`, and `__filename`/`__dirname` (the
 * bundle's; write-file-atomic only hashes its own into temp file names).
 */
import {build} from 'esbuild'

const banner = {
  js: [
    "import {createRequire as __gdmarketRequire} from 'node:module'",
    "import {fileURLToPath as __gdmarketPath} from 'node:url'",
    "import {dirname as __gdmarketDirname} from 'node:path'",
    'const require = __gdmarketRequire(import.meta.url)',
    'const __filename = __gdmarketPath(import.meta.url)',
    'const __dirname = __gdmarketDirname(__filename)',
  ].join(';'),
}
// better-sqlite3 is a native addon (a .node file beside its JavaScript): loaded from node_modules, not bundled
const common = {bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning', banner, external: ['better-sqlite3']}

// the stack's long-running processes
await build({...common, entryPoints: ['dist/stack/main.js', 'dist/services/main.js'], outbase: 'dist', outdir: 'dist/bundle'})

// The CLI: oclif and every command (oclif's `explicit` strategy, src/commands/index.ts), split so
// that what one command imports lazily (inquirer for the wizard, the YAML parser for scenarios,
// execa for the scenario runner's steps, the stack for `up --foreground`) loads only for it.
// Minified: a new process compiles the whole entry chunk, and its size was most of a command's
// start-up. `typescript` is oclif's, for development only.
await build({
  ...common,
  entryPoints: ['dist/commands/main.js'],
  outdir: 'dist/bundle/cli',
  splitting: true,
  minify: true,
  external: ['typescript', 'better-sqlite3'],
})
