import {readFileSync} from 'node:fs'

import {caFileLine, caFileProblem} from '../bus/caFile.js'
import {MAX_VIEW_REPLICAS, viewReplica, type DaemonName, type ProcessName} from '../bus/topics.js'
import {noRolePassword, readRolePassword, type Role} from '../bus/walls.js'
import {loadSettings} from '../config.js'
import {badInput, unavailable} from '../errors.js'
import type {DataDir} from '../paths.js'
import {isAlive, readStackFile} from '../stackFile.js'

/**
 * What a process alone on its host (`service run NAME`, `gateway run`) needs before it starts,
 * checked so a mistake is one line and exit 2 (docs/deploy.md): its settings (GDMARKET_* and
 * config.json), an external broker, its role's password, the CA file it names, and no other
 * process on this data dir (two would share a store, or a gateway's socket).
 */
export function readyToRunAlone(dir: DataDir, role: Role, pidFile?: string): void {
  const {brokerUrl, brokerCaFile} = loadSettings(dir.configFile).values
  if (!brokerUrl) throw badInput(`${role} runs alone on an external broker: set GDMARKET_BROKER_URL=mqtt://HOST:PORT (or brokerUrl in ${dir.configFile}); docs/deploy.md`)
  if (!readRolePassword(dir.brokerCredentialsFile, role)) throw badInput(noRolePassword(dir.brokerCredentialsFile, role))
  const caProblem = brokerCaFile ? caFileProblem(brokerCaFile) : undefined
  if (caProblem) throw badInput(caFileLine(brokerCaFile, caProblem, 'GDMARKET_BROKER_CA_FILE'))
  const stack = readStackFile(dir.stackFile)
  if (stack) throw unavailable('ALREADY_RUNNING', `a process already serves the gateway of ${dir.root} (pid ${stack.pid}); give ${role} a data dir of its own`)
  const pid = pidFile === undefined ? undefined : readPid(pidFile)
  if (pid !== undefined && pid !== process.pid && isAlive(pid)) throw unavailable('ALREADY_RUNNING', `the ${role} service already runs with ${dir.root} (pid ${pid}); two would share its store`)
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim())
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * Which replica of the view a process alone on its host is (docs/deploy.md#view-replicas):
 * `--replica N`, else a Kubernetes StatefulSet pod's index plus one (GDMARKET_POD_INDEX, from the
 * downward API: pod 0 is `view`, pod 1 `view-2`), else 1. Its exec probes read the same.
 */
export function replicaOf(name: DaemonName, flag: number | undefined, env: NodeJS.ProcessEnv = process.env): {replica: number; process: ProcessName} {
  const index = env.GDMARKET_POD_INDEX
  const replica = flag ?? (index === undefined || index === '' ? 1 : Number(index) + 1)
  if (!Number.isInteger(replica) || replica < 1 || replica > MAX_VIEW_REPLICAS) {
    throw badInput(`GDMARKET_POD_INDEX is "${index}": the view runs as pods 0 to ${MAX_VIEW_REPLICAS - 1}`)
  }
  if (replica !== 1 && name !== 'view') throw badInput(`only the view has replicas: ${name} keeps one writer for its store (docs/deploy.md#view-replicas)`)
  return {replica, process: name === 'view' ? viewReplica(replica) : name}
}
