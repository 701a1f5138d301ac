import {randomBytes, timingSafeEqual} from 'node:crypto'
import {readFileSync} from 'node:fs'

import writeFileAtomic from 'write-file-atomic'

import {roles, type Role} from './topicGrants.js'
import {daemonClientId, daemons, type DaemonName} from './topics.js'

/**
 * Who may be on the stack's broker, and on which topics (docs/guarantees.md, "Who may do what").
 * Every connection authenticates with per-stack credentials, made at `up` and kept in
 * run/credentials.json (0600): the daemons read them there, never from argv or the environment.
 * The gateway and the supervisor are inside the embedded broker's process and need none; on an
 * external broker they log in as `gateway` (docs/deploy.md).
 */
export {roles, type Role}
/** a password per role, and the bearer token of the gateway's TCP port */
export type Credentials = Record<Role | 'httpToken', string>

/** hex: a secret that starts with `-` would be taken for an option by the tools it is handed to (HTTPie's `-a`) */
export const newCredentials = (): Credentials =>
  Object.fromEntries([...roles, 'httpToken'].map((key) => [key, randomBytes(24).toString('hex')])) as Credentials

export function writeCredentials(file: string, credentials: Credentials): void {
  writeFileAtomic.sync(file, JSON.stringify(credentials) + '\n', {mode: 0o600})
}

/** Each role's password at an external broker: made once by the broker config command, since the broker's password file holds their hashes. */
export type BrokerPasswords = Record<Role, string>

/** The passwords in the data dir's broker-credentials.json (0600), or undefined when it is missing or not whole. */
export function readBrokerPasswords(file: string): BrokerPasswords | undefined {
  const read = readJsonObject(file)
  return read && roles.every((role) => typeof read[role] === 'string' && (read[role] as string).length > 0) ? (read as BrokerPasswords) : undefined
}

/**
 * One role's password from broker-credentials.json: a process run alone on its host (`service run`,
 * `gateway run`) needs only its own, so a host's copy may hold that one line (docs/deploy.md).
 */
export function readRolePassword(file: string, role: Role): string | undefined {
  const password = readJsonObject(file)?.[role]
  return typeof password === 'string' && password.length > 0 ? password : undefined
}

/** Why a process run alone cannot log in: its role's password is not in its data dir; and how it gets there. */
export const noRolePassword = (file: string, role: Role) =>
  `no password for the ${role} role in ${file}; copy that file (or one holding only its "${role}" key) from the host where the broker's files were written (docs/deploy.md)`

/** Why a stack cannot log in to an external broker: it has no passwords; and how it gets them. */
export const noBrokerPasswords = (file: string) =>
  `no passwords for an external broker in ${file}; write them with Mosquitto's files (docs/deploy.md), or copy that file from the host where they were written`

/** The data dir's broker passwords, made and written (0600) the first time: written again, the broker's files must keep matching a running stack. */
export function brokerPasswords(file: string): BrokerPasswords {
  const kept = readBrokerPasswords(file)
  if (kept) return kept
  const {httpToken: _, ...made} = newCredentials()
  writeFileAtomic.sync(file, JSON.stringify(made) + '\n', {mode: 0o600})
  return made
}

/** The stack's credentials, or undefined when the file is missing or not what `up` wrote. */
export function readCredentials(file: string): Credentials | undefined {
  const parsed = readJsonObject(file)
  const keys = [...roles, 'httpToken']
  return parsed && keys.every((key) => typeof parsed[key] === 'string' && (parsed[key] as string).length > 0) ? (parsed as Credentials) : undefined
}

/** The gateway's bearer token in run/credentials.json: the stack's (`up`), or a gateway's alone on its host, which holds no other secret. */
export function readHttpToken(file: string): string | undefined {
  const token = readJsonObject(file)?.httpToken
  return typeof token === 'string' && token.length > 0 ? token : undefined
}

function readJsonObject(file: string): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

/** The roles whose client ids are theirs alone: a daemon's, and the gateway's. */
const owners = [...daemons, 'gateway'] as const
const ownsClientIds = (role: Role): role is (typeof owners)[number] => (owners as readonly string[]).includes(role)

/**
 * The role a connection gets, or undefined to refuse it. A daemon's client id belongs to that
 * daemon alone: another connection under it would kick the daemon off its persistent session.
 * A tool holding a daemon's credentials may connect as `gdmarket-<daemon>-<anything>`.
 */
export function authenticate(credentials: Credentials, clientId: string, username: string | undefined, password: Buffer | undefined): Role | undefined {
  const role = roles.find((r) => r === username)
  if (!role || !password || !same(password, credentials[role])) return undefined
  const own = (name: string) => clientId === daemonClientId(name as DaemonName) || clientId.startsWith(`${daemonClientId(name as DaemonName)}-`)
  if (ownsClientIds(role)) return own(role) ? role : undefined
  return owners.some(own) ? undefined : role
}

/** Why an HTTP request's `Authorization` header is not the stack's token: none sent, another scheme, or a token of another stack (or of an earlier `up`). */
export type TokenProblem = 'none' | 'notBearer' | 'notThisStack'

/** What is wrong with an HTTP request's `Authorization` header, or undefined when it carries the stack's token. */
export function tokenProblem(credentials: Pick<Credentials, 'httpToken'>, header: string | undefined): TokenProblem | undefined {
  if (header === undefined || header.trim() === '') return 'none'
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (m === null) return 'notBearer'
  return same(Buffer.from(m[1]), credentials.httpToken) ? undefined : 'notThisStack'
}

function same(given: Buffer, expected: string): boolean {
  const wanted = Buffer.from(expected)
  return given.length === wanted.length && timingSafeEqual(given, wanted)
}

export {mayPublish, maySubscribe} from './topicGrants.js'
