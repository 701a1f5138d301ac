/**
 * Entry point of one daemon process, forked by the supervisor: `main.js <name> <data-dir>`.
 */
import type {DaemonName} from '../bus/topics.js'
import {runService} from '../runtime/daemon.js'
import {definitions} from './definitions.js'

const [name, root] = process.argv.slice(2) as [DaemonName, string]
if (!definitions[name] || !root) {
  console.error(`usage: main.js <${Object.keys(definitions).join('|')}> <data-dir>`)
  process.exit(2)
}
await runService(definitions[name], root)
