#!/usr/bin/env node
// @ts-check
/**
 * `npm start`: builds if a source changed since the last build (or there is none), then
 * `gdmarket up` (with the arguments after `npm start --`, e.g. `npm start -- --http-port 0`) and
 * `gdmarket status` of the same data dir. The stack runs on ./data (or that --data-dir) until
 * `gdmarket down`; up's "Try:" line names gdmarket as it runs from here (`npx gdmarket` in the
 * checkout until `npm link` puts it on the PATH).
 */
import {spawnSync} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const inputs = ['src', 'scripts/bundle.mjs', 'package.json', 'package-lock.json', 'tsconfig.json']
const outputs = ['dist/bundle/cli/main.cjs', 'oclif.manifest.json']

/** The newest modification time under a file or folder, 0 when it is missing. */
function newest(relative) {
  const full = path.join(root, relative)
  if (!fs.existsSync(full)) return 0
  const stat = fs.statSync(full)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(stat.mtimeMs, ...fs.readdirSync(full).map((name) => newest(path.join(relative, name))))
}

const run = (command, args) => {
  const result = spawnSync(command, args, {cwd: root, stdio: 'inherit'})
  if (result.status !== 0) process.exit(result.status ?? 1)
}

const built = Math.min(...outputs.map(newest))
if (built === 0 || Math.max(...inputs.map(newest)) > built) {
  process.stderr.write(built === 0 ? 'npm start: no build yet: building\n' : 'npm start: sources changed since the last build: building\n')
  run('npm', ['run', '-s', 'build'])
}
const args = process.argv.slice(2)
// status looks at the stack up started: the same --data-dir, if one was given
const dataDir = args.flatMap((arg, i) => (arg === '--data-dir' ? [arg, args[i + 1] ?? ''] : arg.startsWith('--data-dir=') ? [arg] : []))
run(process.execPath, ['bin/run.js', 'up', ...args])
run(process.execPath, ['bin/run.js', 'status', ...dataDir])
