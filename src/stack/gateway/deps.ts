import type {Envelope} from '../../bus/events.js'
import type {DaemonName} from '../../bus/topics.js'
import type {HistoryQuery} from '../../events/history.js'
import type {NotReady} from '../serviceHealth.js'

/** Which events GET /events asks for. */
export interface EventsFilter {
  sources: string[]
  types?: string[]
  correlationId?: string
}

/** What the routes need of the stack: the services behind the broker, and the supervisor. */
export interface GatewayDeps {
  /** one request to a daemon, stamped with the frontier; fails at once (503) when it is not running */
  call(target: DaemonName, command: string, body?: object): Promise<unknown>
  status(): unknown
  /** every daemon that is not online, or not caught up with the frontier, with why: readiness */
  notReady(): Promise<NotReady[]>
  /** the stack's metrics in Prometheus' text format */
  metrics(): Promise<string>
  operate(action: 'start' | 'stop' | 'restart', name: DaemonName): Promise<unknown>
  /** `service scale view N`: every process after it */
  scale(name: DaemonName, count: number): Promise<unknown>
  /** `store recover NAME`: what it rebuilt, and every process after it */
  recover(name: DaemonName): Promise<unknown>
  /** stops the whole stack once the answer is sent */
  down(): {pid: number}
  history(query: HistoryQuery & EventsFilter): Promise<{events: Envelope[]; leftOut: {source: string; message: string}[]}>
  /** calls `send` with each new event that passes the filter, until the function it returns is called */
  follow(filter: EventsFilter, send: (event: Envelope) => void): () => void
}
