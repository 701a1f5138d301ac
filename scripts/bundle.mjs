// @ts-check
/**
 * `npm run bundle` (part of `npm run build`): the supervisor's and a daemon's entry points, each
 * with everything it imports, as one ESM file under dist/bundle/ in the layout of dist/ — so the
 * supervisor finds the daemon's bundle where it would find its module — and the CLI's. One file loads in half the
 * time of the ~300 modules and takes less memory (docs/performance.md). CommonJS dependencies
 * inside get what Node gives CommonJS modules: `require`, and `__filename`/`__dirname` (the
 * bundle's; write-file-atomic only hashes its own into temp file names). The CLI's bundle is
 * CommonJS, for V8's code cache (below).
 */
import {spawnSync} from 'node:child_process'
import {readFile} from 'node:fs/promises'

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

/**
 * zod re-exports its ~50 locales as `z.locales`, which nothing here reads: only English (the one
 * zod configures itself) is bundled. 400 KB of source each process would otherwise parse and keep.
 * @type {import('esbuild').Plugin}
 */
const englishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({filter: /^\.\.\/locales\/index\.js$/}, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer) ? {path: 'zod-locales', namespace: 'zod-english-only', pluginData: args.resolveDir} : undefined,
    )
    build.onLoad({filter: /.*/, namespace: 'zod-english-only'}, (args) => ({
      contents: "export {default as en} from '../locales/en.js'",
      resolveDir: args.pluginData,
    }))
  },
}

/**
 * MQTT.js builds its table of transports on the first connect, loading its WebSocket one (the `ws`
 * package), its TLS one (node:tls) and, with TCP, its SOCKS one (socks, ip-address, smart-buffer):
 * 400 KB of source and ~2 MB of memory per process. The stack speaks mqtt:// (a Unix socket or
 * TCP), mqtts:// only to an external broker, a SOCKS proxy only if MQTTJS_SOCKS_PROXY is set, and
 * never ws:// (config.ts refuses it); so these load from node_modules the first time one is used.
 * @type {import('esbuild').Plugin}
 */
const lazyMqttTransports = {
  name: 'lazy-mqtt-transports',
  setup(build) {
    build.onResolve({filter: /^\.\/(ws|socks|tls)$/}, (args) =>
      /[\\/]node_modules[\\/]mqtt[\\/]build[\\/]lib[\\/]connect[\\/]/.test(args.importer)
        ? {path: args.path.slice(2), namespace: 'lazy-mqtt-transports'}
        : undefined,
    )
    build.onResolve({filter: /^mqtt\/lib\/connect\//}, (args) => ({path: args.path, external: true}))
    build.onLoad({filter: /.*/, namespace: 'lazy-mqtt-transports'}, (args) => {
      const exports = args.path === 'ws' ? ['streamBuilder', 'browserStreamBuilder'] : ['default']
      const lazy = exports.map((name) => `exports.${name} = (...args) => require('mqtt/lib/connect/${args.path}').${name}(...args)`)
      return {contents: lazy.join('\n'), loader: 'js'}
    })
  },
}

// The stack's long-running processes. Comments and indentation out (minifyWhitespace): V8 keeps a
// script's whole source in each process's heap, and a single em dash in a comment made it a
// two-byte string (3.7 MB for the daemon's 1.9 MB); names stay, so stack traces still name functions.
await build({
  ...common,
  entryPoints: ['dist/stack/main.js', 'dist/services/main.js'],
  outbase: 'dist',
  outdir: 'dist/bundle',
  minifyWhitespace: true,
  plugins: [englishOnly, lazyMqttTransports],
})

// Node 20's vm.Script forgets its import() callback when V8 restores it from a code cache, and the
// callback that uses Node's own loader is experimental (a warning on stderr): the import() calls
// in the CLI's dependencies whose module is known only when it runs (oclif's loaders of ESM
// plugins and configs) call bin/run.js's instead; esbuild bundles those of a literal name.
const DYNAMIC_IMPORT = /(?<![\w$.])import\((?![)'"`])/
const importFromRun = {
  name: 'import-from-run',
  setup(build) {
    build.onLoad({filter: /[\\/]node_modules[\\/].*\.c?js$/}, async (args) => {
      const text = await readFile(args.path, 'utf8')
      return DYNAMIC_IMPORT.test(text) ? {contents: text.replaceAll(new RegExp(DYNAMIC_IMPORT, 'g'), '__gdmarketImportFrom('), loader: 'js'} : undefined
    })
  },
}

// The CLI: oclif and every command (oclif's `explicit` strategy, src/commands/index.ts) in one
// CommonJS file, which bin/run.js compiles with V8's code cache (vm.Script's cachedData; Node 20
// has no module compile cache, and vm runs no ES module without a flag): a new process then
// compiles none of it. What one command imports lazily (inquirer for the wizard, the YAML parser,
// execa, the stack for `up --foreground`, zod for a refusal) is in the file but never compiled
// until asked for. Minified: without a cache a new process parses the whole file.
// `typescript` is oclif's, for development only.
await build({
  ...common,
  format: 'cjs',
  banner: {
    js: [
      "'use strict';", // a banner comes before esbuild's own directive, which would then be none
      "var __gdmarketImportMetaUrl = require('node:url').pathToFileURL(__filename).href;",
      // bin/run.js's import(); a plain require of the bundle (oclif's manifest, bin/dev.js) has its own
      "var __gdmarketImportFrom = typeof __gdmarketImport === 'function' ? __gdmarketImport : (specifier) => import(specifier);",
    ].join('\n'),
  },
  define: {'import.meta.url': '__gdmarketImportMetaUrl'},
  entryPoints: ['dist/commands/main.js'],
  outfile: 'dist/bundle/cli/main.cjs',
  minify: true,
  external: ['typescript', 'better-sqlite3'],
  plugins: [importFromRun],
})
const cli = await readFile('dist/bundle/cli/main.cjs', 'utf8')
// any import() left, of a computed name or of an external one (a literal esbuild leaves as it is)
const ANY_IMPORT = /(?<![\w$.])import\((?!\))/
if (ANY_IMPORT.test(cli.slice(cli.indexOf('\n', cli.indexOf('__gdmarketImportFrom =')))))
  throw new Error('dist/bundle/cli/main.cjs: an import() that bin/run.js cannot serve (an external package? require it: src/store/sqliteFiles.ts)')
// its code cache: a first run writes it beside the bundle (bin/run.js), with what a command compiles
spawnSync(process.execPath, ['bin/run.js', 'version', '--json'], {stdio: 'ignore'})
