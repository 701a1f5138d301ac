import {randomBytes, timingSafeEqual} from 'node:crypto'
import {readFileSync} from 'node:fs'

import writeFileAtomic from 'write-file-atomic'

import {callsOf, daemonClientId, daemons, followersOf, followsOf, services, topics, type DaemonName} from './topics.js'

/**
 * Who may be on the stack's broker, and on which topics (docs/guarantees.md, "Who may do what").
 * Every connection authenticates with per-stack credentials, made at `up` and kept in
 * run/credentials.json (0600): the daemons read them there, never from argv or the environment.
 * The gateway and the supervisor are inside the broker's process and need none.
 */
export const roles = [...daemons, 'reader'] as const
/** a daemon, or `reader`: tools that watch events and read histories, and change nothing */
export type Role = (typeof roles)[number]
/** a password per role, and the bearer token of the gateway's TCP port */
export type Credentials = Record<Role | 'httpToken', string>

/** hex: a secret that starts with `-` would be taken for an option by the tools it is handed to (HTTPie's `-a`) */
export const newCredentials = (): Credentials =>
  Object.fromEntries([...roles, 'httpToken'].map((key) => [key, randomBytes(24).toString('hex')])) as Credentials

export function writeCredentials(file: string, credentials: Credentials): void {
  writeFileAtomic.sync(file, JSON.stringify(credentials) + '\n', {mode: 0o600})
}

/** The stack's credentials, or undefined when the file is missing or not what `up` wrote. */
export function readCredentials(file: string): Credentials | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>
    const keys = [...roles, 'httpToken']
    return keys.every((key) => typeof parsed[key] === 'string' && (parsed[key] as string).length > 0) ? (parsed as Credentials) : undefined
  } catch {
    return undefined
  }
}

const isDaemon = (role: Role): role is DaemonName => (daemons as readonly string[]).includes(role)

/**
 * The role a connection gets, or undefined to refuse it. A daemon's client id belongs to that
 * daemon alone: another connection under it would kick the daemon off its persistent session.
 * A tool holding a daemon's credentials may connect as `gdmarket-<daemon>-<anything>`.
 */
export function authenticate(credentials: Credentials, clientId: string, username: string | undefined, password: Buffer | undefined): Role | undefined {
  const role = roles.find((r) => r === username)
  if (!role || !password || !same(password, credentials[role])) return undefined
  const own = (name: string) => clientId === daemonClientId(name as DaemonName) || clientId.startsWith(`${daemonClientId(name as DaemonName)}-`)
  if (isDaemon(role)) return own(role) ? role : undefined
  return daemons.some(own) ? undefined : role
}

/** Why an HTTP request's `Authorization` header is not the stack's token: none sent, another scheme, or a token of another stack (or of an earlier `up`). */
export type TokenProblem = 'none' | 'notBearer' | 'notThisStack'

/** What is wrong with an HTTP request's `Authorization` header, or undefined when it carries the stack's token. */
export function tokenProblem(credentials: Credentials, header: string | undefined): TokenProblem | undefined {
  if (header === undefined || header.trim() === '') return 'none'
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (m === null) return 'notBearer'
  return same(Buffer.from(m[1]), credentials.httpToken) ? undefined : 'notThisStack'
}

function same(given: Buffer, expected: string): boolean {
  const wanted = Buffer.from(expected)
  return given.length === wanted.length && timingSafeEqual(given, wanted)
}

/** The topic ownership table: the topics each role may publish to. */
export function mayPublish(role: Role, topic: string): boolean {
  const [head, kind, target, rest, ...more] = topic.split('/')
  if (head !== 'gdmarket' || more.length > 0) return false
  const historyOf = (sources: readonly string[]) => sources.includes(target) && rest === 'history'
  // a reader may ask any daemon for its history: it changes nothing (the view's is empty, and answered in order)
  if (role === 'reader') return kind === 'requests' && historyOf(daemons)
  switch (kind) {
    case 'events':
      return target === role && (services as readonly string[]).includes(role) && rest !== undefined && rest !== ''
    case 'status':
      return target === role && rest === undefined
    case 'replies':
      return target !== undefined && target !== '' && rest === undefined
    case 'requests':
      return (
        historyOf(followsOf[role]) ||
        // a starting service asks those that follow it what they have seen of it (src/runtime/peerCheck.ts)
        (followersOf(role).includes(target as DaemonName) && (rest === 'seen' || rest === 'witness')) ||
        (callsOf[role].includes(target as never) && rest !== undefined && rest !== '')
      )
    default:
      return false
  }
}

/** The topic ownership table: the topic filters each role may subscribe to (exactly these). */
export function maySubscribe(role: Role, filter: string, clientId: string): boolean {
  // a reader watches any part of the events and the liveness, and gets its own replies
  if (role === 'reader') return /^gdmarket\/(events|status)\/[^#]*(#)?$/.test(filter) || filter === topics.reply(clientId)
  const allowed = [
    ...followsOf[role].map(topics.eventsOf),
    ...followsOf[role].map(topics.status),
    ...followersOf(role).map(topics.status), // whether a follower can be asked at its start
    topics.status(role),
    topics.requestsOf(role),
    topics.reply(daemonClientId(role)),
    topics.reply(clientId),
  ]
  return allowed.includes(filter)
}
