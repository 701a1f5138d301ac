import {pbkdf2Sync, randomBytes} from 'node:crypto'
import {mkdirSync} from 'node:fs'
import path from 'node:path'

import writeFileAtomic from 'write-file-atomic'

import {CLIENT_ID, grantsOf, roles, type Role} from '../bus/topicGrants.js'

/**
 * What Mosquitto 2 needs to be the stack's broker (docs/deploy.md): its conf, a password file and
 * an ACL file. The ACL is written from the ownership table the embedded broker enforces
 * (src/bus/topicGrants.ts), so the two cannot drift.
 */

export interface BrokerFileOptions {
  /** the folder the files go to (the conf names the other two by their absolute paths) */
  dir: string
  port: number
  bind: string
  /** TLS: the listener's certificate and key (PEM); mqtts:// clients then need the CA that signed it */
  certFile?: string
  keyFile?: string
  /** the user Mosquitto runs as when started as root (its default: `mosquitto`) */
  user?: string
}

/**
 * mosquitto_passwd's format since 2.0: `$7$` is PBKDF2-HMAC-SHA512, then the iterations, a 12-byte
 * salt and the 64-byte hash in base64. 101 iterations is what mosquitto_passwd writes; the
 * passwords are 192 random bits, so a slower hash would cost every login and protect nothing.
 */
export function passwordLine(user: string, password: string, salt = randomBytes(12)): string {
  const hash = pbkdf2Sync(password, salt, 101, 64, 'sha512')
  return `${user}:$7$101$${salt.toString('base64')}$${hash.toString('base64')}`
}

export const passwordFile = (passwords: Record<Role, string>): string => roles.map((role) => passwordLine(role, passwords[role])).join('\n') + '\n'

/**
 * The ACL: `topic write` for what a role may publish, `topic read` for what it may subscribe to
 * (Mosquitto checks both a subscription and every delivery against it). A grant on the client's
 * own id is a `pattern` line, which Mosquitto applies to every user: so every role must hold it.
 */
export function aclFile(): string {
  const own = (grant: string) => grant.includes(CLIENT_ID)
  const patterns = [...new Set(roles.flatMap((role) => grantsOf(role).subscribe.filter(own)))]
  for (const role of roles) {
    const held = grantsOf(role).subscribe.filter(own)
    if (patterns.some((p) => !held.includes(p)) || grantsOf(role).publish.some(own)) throw new Error(`${role}: a client-id grant Mosquitto's ACL cannot hold per user`)
  }
  const lines = ['# gdmarket: the topic ownership table (src/bus/topicGrants.ts), written by the broker config command of gdmarket', '']
  for (const role of roles) {
    const {publish, subscribe} = grantsOf(role)
    const entries = [...publish.map((t) => `topic write ${t}`), ...subscribe.filter((t) => !own(t)).map((t) => `topic read ${t}`)]
    lines.push(`user ${role}`, ...new Set(entries), '')
  }
  lines.push('# every role: the replies to its own requests', ...patterns.map((p) => `pattern read ${p}`))
  return lines.join('\n') + '\n'
}

/** mosquitto.conf: logins only (no anonymous), the ACL, no disk persistence (the producers' stores are the durable copy). */
export function mosquittoConf(options: BrokerFileOptions): string {
  const file = (name: string) => path.resolve(options.dir, name)
  const tls = options.certFile && options.keyFile ? [`certfile ${path.resolve(options.certFile)}`, `keyfile ${path.resolve(options.keyFile)}`] : []
  return [
    '# gdmarket: Mosquitto 2 as the stack\'s broker, written by the broker config command of gdmarket (docs/deploy.md)',
    'per_listener_settings false',
    'allow_anonymous false',
    `password_file ${file('passwd')}`,
    `acl_file ${file('acl')}`,
    ...(options.user ? [`user ${options.user}`] : []),
    '',
    `listener ${options.port} ${options.bind}`,
    ...tls,
    '',
    '# every request waits for its reply: Nagle\'s algorithm would hold each for a delayed ACK',
    'set_tcp_nodelay true',
    '# sessions in memory, as the embedded broker: a consumer that finds none catches up from the producers\' stores',
    'persistence false',
    '# what waits for a stopped service; beyond it, its events are fetched from their producers when it starts',
    'max_queued_messages 10000',
    'max_inflight_messages 100',
    '',
  ].join('\n')
}

/**
 * Writes the three files into `options.dir` (made 0700 if new). The password file and the ACL
 * are 0600: chown them to the user Mosquitto runs as. Returns their paths.
 */
export function writeBrokerFiles(options: BrokerFileOptions, passwords: Record<Role, string>): {conf: string; passwd: string; acl: string} {
  mkdirSync(options.dir, {recursive: true, mode: 0o700})
  const files = {conf: path.join(options.dir, 'mosquitto.conf'), passwd: path.join(options.dir, 'passwd'), acl: path.join(options.dir, 'acl')}
  writeFileAtomic.sync(files.passwd, passwordFile(passwords), {mode: 0o600})
  writeFileAtomic.sync(files.acl, aclFile(), {mode: 0o600})
  writeFileAtomic.sync(files.conf, mosquittoConf(options), {mode: 0o644})
  return files
}
