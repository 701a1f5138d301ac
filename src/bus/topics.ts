/** The one place that names MQTT topics (docs/architecture.md). */
export const services = ['item', 'reservation', 'payment'] as const
export type ServiceName = (typeof services)[number]
/** Every daemon the supervisor runs: the three services and the read-side projector. */
export const daemons = ['item', 'reservation', 'payment', 'view'] as const
export type DaemonName = (typeof daemons)[number]

const root = 'gdmarket'

export const topics = {
  event: (source: string, type: string) => `${root}/events/${source}/${type}`,
  /** every event of one source: consumers take all of a source's types so `seq` has no gaps */
  eventsOf: (source: string) => `${root}/events/${source}/+`,
  request: (target: string, command: string) => `${root}/requests/${target}/${command}`,
  requestsOf: (target: string) => `${root}/requests/${target}/+`,
  reply: (clientId: string) => `${root}/replies/${clientId}`,
  status: (name: string) => `${root}/status/${name}`,
  all: `${root}/#`,
}

export type TopicKind = 'event' | 'request' | 'reply' | 'status' | 'other'

/** Splits a topic into its kind and parts; anything not ours is `other`. */
export function parseTopic(topic: string): {kind: TopicKind; parts: string[]} {
  const [head, kind, ...parts] = topic.split('/')
  if (head !== root) return {kind: 'other', parts: []}
  switch (kind) {
    case 'events':
      return {kind: 'event', parts}
    case 'requests':
      return {kind: 'request', parts}
    case 'replies':
      return {kind: 'reply', parts}
    case 'status':
      return {kind: 'status', parts}
    default:
      return {kind: 'other', parts}
  }
}

/** MQTT client id of a daemon or a view replica: fixed, so its persistent session survives restarts. */
export const daemonClientId = (name: DaemonName | ViewReplica) => `gdmarket-${name}`

/**
 * Replicas of the read side (docs/deploy.md#view-replicas): the first is `view`, the others
 * `view-2` … `view-8`. The name is the replica's own client id (`gdmarket-view-2`), liveness topic,
 * request topic, store (`view-2.json`), pid, health and log files; its role stays `view`. The
 * names are fixed and few so that the ownership table, and Mosquitto's ACL, can list them.
 */
export const MAX_VIEW_REPLICAS = 8
export type ViewReplica = 'view' | `view-${number}`
export const viewReplica = (n: number): ViewReplica => (n === 1 ? 'view' : `view-${n}`)
export const viewReplicas: readonly ViewReplica[] = Array.from({length: MAX_VIEW_REPLICAS}, (_, i) => viewReplica(i + 1))
/** A process the supervisor runs: a daemon, or a replica of the view. */
export type ProcessName = DaemonName | ViewReplica
/** The daemon a process runs (its role at the broker), or undefined for a name that is neither. */
export const roleOfProcess = (name: string): DaemonName | undefined =>
  (daemons as readonly string[]).includes(name) ? (name as DaemonName) : (viewReplicas as readonly string[]).includes(name) ? 'view' : undefined
/** The MQTT 5 shared subscription group the view replicas take their requests from on an external broker. */
export const sharedRequestsOf = (target: DaemonName) => `$share/${target}/${topics.requestsOf(target)}`

/** The supervisor's name in status and logs. */
export const SUPERVISOR = 'supervisor'

/** The services whose events each daemon applies: its definition's `follows`, and what the broker lets it read. */
export const followsOf: Record<DaemonName, readonly ServiceName[]> = {
  // whether a reservation is paid is reservation's to say (docs/guarantees.md#one-owner-per-decision)
  item: ['reservation'],
  reservation: ['item', 'payment'],
  payment: ['reservation'],
  view: ['item', 'reservation', 'payment'],
}

/** The services each daemon sends requests to, besides `history` to those it follows. */
export const callsOf: Record<DaemonName, readonly ServiceName[]> = {item: ['reservation'], reservation: ['payment'], payment: [], view: []}

/** The daemons that apply a service's events: they are asked what they have seen of it when it starts. */
export const followersOf = (name: DaemonName): DaemonName[] => daemons.filter((d) => (followsOf[d] as readonly string[]).includes(name))
