import {unavailable} from '../errors.js'
import {dataDirHint, type DataDir} from '../paths.js'
import type {GatewayAddress} from './gatewayClient.js'

/** How a command fails to reach the running stack: one line that says what to do. */

export const notRunning = (dir: DataDir) =>
  unavailable('NOT_RUNNING', `not running for data dir ${dir.root}; start it with \`gdmarket up${dataDirHint(dir.root)}\``)

export const gatewayGone = (address: GatewayAddress, error: Error) =>
  unavailable(
    'NO_GATEWAY',
    `gdmarket's gateway at ${'socketPath' in address ? address.socketPath : `127.0.0.1:${address.port}`} does not answer (${(error as NodeJS.ErrnoException).code ?? error.message}); check \`gdmarket status\` or run \`gdmarket down\` and \`gdmarket up\``,
  )
