import {unavailable, type GdError} from '../errors.js'
import {dataDirHint, shellWord, type DataDir} from '../paths.js'
import {stacksElsewhere, type RunningStack} from './knownStacks.js'

/** How a command fails to reach the running stack: one line that says what to do. */

/** Where the gateway listens for the CLI: its Unix socket, or TCP on loopback. */
export type GatewayAddress = {socketPath: string} | {host: string; port: number}

/**
 * No stack runs for this data dir. When one runs where the person probably meant (its child
 * folder `data`, $GDMARKET_DATA_DIR, the last `up`), that is the line: starting a second, empty
 * market here is what they least want (docs/commands.md#which-stack-runs-where).
 */
export function notRunning(dir: DataDir): GdError {
  const elsewhere = stacksElsewhere(dir.root)
  if (elsewhere.length > 0) return unavailable('NOT_RUNNING', `no stack in ${dir.root}; ${whereStacksRun(elsewhere)}`)
  return unavailable('NOT_RUNNING', `not running for data dir ${dir.root}; start it with \`gdmarket up${dataDirHint(dir.root)}\``)
}

/** `one runs in ~/tour/data (use --data-dir ~/tour/data)`, or the several that run. */
export function whereStacksRun(stacks: RunningStack[]): string {
  const [first] = stacks
  if (stacks.length === 1) return `one runs in ${first.dataDir} (use --data-dir ${shellWord(first.dataDir)})`
  const dirs = stacks.map((s) => s.dataDir)
  return `stacks run in ${dirs.slice(0, -1).join(', ')} and ${dirs.at(-1)} (use --data-dir with one of them; \`gdmarket stacks\` lists them)`
}

export const gatewayGone = (address: GatewayAddress, error: Error) =>
  unavailable(
    'NO_GATEWAY',
    `gdmarket's gateway at ${'socketPath' in address ? address.socketPath : `127.0.0.1:${address.port}`} does not answer (${(error as NodeJS.ErrnoException).code ?? error.message}); check \`gdmarket status\` or run \`gdmarket down\` and \`gdmarket up\``,
  )
