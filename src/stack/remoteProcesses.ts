import {parseLiveness, type Liveness} from '../bus/liveness.js'
import {daemons, parseTopic, roleOfProcess, viewReplicas, type DaemonName, type ProcessName} from '../bus/topics.js'
import {GdError, Exit, unavailable} from '../errors.js'
import type {Processes} from './gatewayDeps.js'
import type {ProcessStatus} from './supervisor.js'

interface Seen {
  state: Liveness['state']
  pid: number | null
  /** when it last said `online` */
  since: number
  /** the pid of its last `online`: a new one is a restart by its host's process manager */
  onlinePid: number | null
  restarts: number
}

/**
 * The daemons as a gateway alone on its host knows them (`gateway run`, docs/deploy.md): from
 * their retained liveness on the broker, as nothing runs them here. A service that is `offline`
 * is being restarted by its own host (systemd, Kubernetes), so its requests wait in its session
 * as under a supervisor; one that never came online or stopped is refused at once. Starting,
 * stopping and recovering a service is its host's to do: the gateway refuses them.
 */
export class RemoteProcesses implements Processes {
  private readonly seen = new Map<ProcessName, Seen>()

  /** A message the gateway reads from the broker: liveness on gdmarket/status/<daemon>, anything else ignored. */
  observe(topic: string, payload: Buffer): void {
    const {kind, parts} = parseTopic(topic)
    const name = parts[0] as ProcessName
    if (kind !== 'status' || !roleOfProcess(name)) return
    const liveness = parseLiveness(payload)
    if (!liveness) return
    const before = this.seen.get(name)
    const seen: Seen = before ?? {state: liveness.state, pid: null, since: 0, onlinePid: null, restarts: 0}
    seen.state = liveness.state
    seen.pid = liveness.pid
    if (liveness.state === 'online') {
      if (seen.onlinePid !== null && liveness.pid !== seen.onlinePid) seen.restarts++
      seen.onlinePid = liveness.pid
      seen.since = Date.parse(liveness.at) || Date.now()
    }
    this.seen.set(name, seen)
  }

  refusal(name: ProcessName): GdError | undefined {
    const seen = this.seen.get(name)
    if (!seen) return unavailable('SERVICE_DOWN', `the ${name} service has not come online on this broker since the gateway started; start it on its host`, {command: 'status'})
    if (seen.state === 'stopped' || seen.state === 'errored') {
      return unavailable('SERVICE_DOWN', `the ${name} service is ${seen.state}; its host's process manager starts it again, or its log says why not`, {command: 'status'})
    }
    return undefined
  }

  status(): ProcessStatus[] {
    // the view's other replicas (`service run view --replica N` on their hosts) once they were seen
    const replicas = viewReplicas.filter((replica) => replica !== 'view' && this.seen.has(replica))
    return [...daemons, ...replicas].map((name) => {
      const seen = this.seen.get(name)
      const online = seen?.state === 'online'
      return {
        name,
        state: seen?.state ?? 'offline',
        pid: online ? seen.pid : null,
        uptimeMs: online ? Math.max(0, Date.now() - seen.since) : 0,
        restarts: seen?.restarts ?? 0,
        lastExit: null,
        lastError: null,
        next: null,
        poisonMessages: 0,
        duplicates: 0,
      }
    })
  }

  breakers = () => []
  deadLetters = () => []

  start = (name: DaemonName) => this.notHere(name, 'start')
  stop = (name: DaemonName) => this.notHere(name, 'stop')
  restart = (name: DaemonName) => this.notHere(name, 'restart')
  scale = (name: DaemonName) => this.notHere(name, 'scale')
  /** the view's replicas share one subscription on the broker, which spreads the requests (src/runtime/daemon.ts) */
  replicaFor = (name: DaemonName): ProcessName => name
  recover = (name: DaemonName) => this.notHere(name, 'recover')

  private notHere(name: DaemonName, action: string): never {
    throw new GdError(
      'NO_SUPERVISOR',
      `this gateway runs alone, without a supervisor: the ${name} service runs on a host of its own, whose process manager (systemd, Kubernetes) does ${action} (docs/deploy.md)`,
      Exit.refused,
    )
  }
}
