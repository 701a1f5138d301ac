import {callsOf, daemonClientId, daemons, followersOf, followsOf, services, topics, viewReplicas, type DaemonName} from './topics.js'

/**
 * The topic ownership table (docs/guarantees.md#who-may-do-what): what each role may publish to
 * and subscribe to, as MQTT topic filters. The embedded broker's hooks (src/bus/walls.ts) and
 * Mosquitto's ACL file (src/bus/mosquittoFiles.ts) are both made from it, so they cannot drift.
 */

/** a daemon; `reader` (tools that watch, and change nothing); `gateway` (the gateway and supervisor, when the broker is not in their process) */
export const roles = [...daemons, 'reader', 'gateway'] as const
export type Role = (typeof roles)[number]

/** Stands for the connection's own client id, as in Mosquitto's ACL `pattern` lines. */
export const CLIENT_ID = '%c'

export interface Grants {
  /** topic filters it may publish on */
  publish: string[]
  /** topic filters it may subscribe to, or to any narrower filter */
  subscribe: string[]
}

const isService = (role: string) => (services as readonly string[]).includes(role)

/** The processes a role runs as: a service one, the view each of its replicas (each its own liveness and requests). */
const processesOf = (role: DaemonName): readonly string[] => (role === 'view' ? viewReplicas : [role])

/** What a daemon may do: its own events, liveness and replies; requests only to those it needs. */
function daemonGrants(role: DaemonName): Grants {
  return {
    publish: [
      ...(isService(role) ? [topics.eventsOf(role)] : []), // the view makes no events
      ...processesOf(role).map(topics.status),
      topics.reply('+'),
      ...followsOf[role].map((source) => topics.request(source, 'history')),
      // a starting service asks those that follow it what they have seen of it (src/runtime/peerCheck.ts)
      ...followersOf(role).flatMap((follower) => [topics.request(follower, 'seen'), topics.request(follower, 'witness')]),
      ...callsOf[role].map(topics.requestsOf),
    ],
    subscribe: [
      ...followsOf[role].map(topics.eventsOf),
      ...followsOf[role].map(topics.status),
      ...followersOf(role).map(topics.status), // whether a follower can be asked at its start
      ...processesOf(role).map(topics.status),
      ...processesOf(role).map(topics.requestsOf),
      topics.reply(daemonClientId(role)),
      topics.reply(CLIENT_ID),
    ],
  }
}

/** The ownership table. */
export function grantsOf(role: Role): Grants {
  switch (role) {
    case 'reader':
      // any daemon's history changes nothing (the view's is empty, and answered in order)
      return {publish: daemons.map((d) => topics.request(d, 'history')), subscribe: ['gdmarket/events/#', 'gdmarket/status/#', topics.reply(CLIENT_ID)]}
    case 'gateway':
      // forwards every command, and announces what the supervisor knows of a daemon (`stopped`, `errored`)
      return {
        publish: [...daemons.flatMap(processesOf).map(topics.requestsOf), ...daemons.flatMap(processesOf).map(topics.status)],
        subscribe: [topics.eventsOf('+'), topics.status('+'), topics.reply('gateway'), topics.reply(CLIENT_ID)],
      }
    default:
      return daemonGrants(role)
  }
}

/**
 * Whether a grant covers a topic (to publish) or a filter (to subscribe): `+` in the grant takes
 * one level (a `+` of the filter too, never its `#`), `#` the rest; a filter's wildcards are
 * otherwise plain levels, as Mosquitto checks a subscription against its ACL.
 */
export function covers(grant: string, topic: string): boolean {
  const want = grant.split('/')
  const got = topic.split('/')
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '#') return true
    if (i >= got.length) return false
    if (want[i] === '+' ? got[i] === '#' : want[i] !== got[i]) return false
  }
  return want.length === got.length
}

/** A grant for this connection: Mosquitto matches no `%c` grant for a client id with `+`, `#` or `/` in it, and neither does this. */
const withClientId = (grant: string, clientId: string) => (!grant.includes(CLIENT_ID) ? grant : /[+#/]/.test(clientId) ? undefined : grant.replaceAll(CLIENT_ID, clientId))

/** The topics each role may publish to. Wildcards are not topics: nobody publishes on them. */
export const mayPublish = (role: Role, topic: string): boolean =>
  !/[+#]/.test(topic) && grantsOf(role).publish.some((grant) => covers(grant, topic))

/** The topic filters each role may subscribe to: a grant, or a narrower filter. */
export const maySubscribe = (role: Role, filter: string, clientId: string): boolean =>
  grantsOf(role).subscribe.some((grant) => {
    const own = withClientId(grant, clientId)
    return own !== undefined && covers(own, filter)
  })
