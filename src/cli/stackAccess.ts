import {unavailable} from '../errors.js'
import type {DataDir} from '../paths.js'

/**
 * How a command reaches the running stack, whichever client it uses (StackClient with mqtt.js, or
 * the fast path's single request): the same waits and the same one-line failures.
 */

/** How long to wait for a service's retained liveness message before asking it anyway. */
export const LIVENESS_WAIT_MS = 1000

export const notRunning = (dir: DataDir) =>
  unavailable('NOT_RUNNING', `not running for data dir ${dir.root}; start it with \`gdmarket up\``)

export const noBroker = (port: number) =>
  unavailable('NO_BROKER', `gdmarket's broker on port ${port} does not answer; check \`gdmarket status\` or run \`gdmarket down\` and \`gdmarket up\``)

export const serviceDown = (target: string, state: string) =>
  unavailable('SERVICE_DOWN', `the ${target} service is ${state}; start it with \`gdmarket service start ${target}\` (see \`gdmarket status\`)`)

export const noReply = (target: string, timeoutMs: number) =>
  unavailable('TIMEOUT', `the ${target} service did not answer within ${timeoutMs} ms; check \`gdmarket status\``)
