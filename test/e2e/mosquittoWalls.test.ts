import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import mqtt, {type MqttClient} from 'mqtt'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {grantsOf, mayPublish, maySubscribe, roles, type Role} from '../../src/bus/topicGrants.js'
import {hasMosquitto, startMosquitto, type Mosquitto} from './mosquitto.js'
import {eventually} from './stack.js'

/**
 * The walls' findings (walls.test.ts, unit/walls.test.ts) replayed on Mosquitto 2 running on the
 * files `gdmarket broker config` writes: the ownership table the embedded broker enforces, as
 * Mosquitto's password file and ACL (docs/deploy.md).
 */
const present = hasMosquitto('the Mosquitto walls test')
let broker: Mosquitto
let dataDir: string
const clients: MqttClient[] = []

beforeAll(async () => {
  if (!present) return
  dataDir = mkdtempSync(path.join(tmpdir(), 'gdmarket-test-'))
  broker = await startMosquitto(dataDir)
})
afterAll(async () => {
  for (const client of clients.splice(0)) await client.endAsync(true).catch(() => {})
  await broker?.stop()
  if (dataDir) rmSync(dataDir, {recursive: true, force: true})
})

const passwords = (): Record<string, string> => JSON.parse(readFileSync(path.join(dataDir, 'broker-credentials.json'), 'utf8'))
let n = 0
/** A connection as a role (MQTT 5 unless told), or its refusal's message. */
async function login(role: Role | 'none', options: {password?: string; clientId?: string; protocolVersion?: 4 | 5} = {}): Promise<MqttClient> {
  const owned = role !== 'reader' && role !== 'none'
  const client = await mqtt.connectAsync({
    host: '127.0.0.1',
    port: broker.port,
    protocolVersion: options.protocolVersion ?? 5,
    clientId: options.clientId ?? (owned ? `gdmarket-${role}-test-${n++}` : `test-${n++}`),
    reconnectPeriod: 0,
    connectTimeout: 5000,
    ...(role === 'none' ? {} : {username: role, password: options.password ?? passwords()[role]}),
  })
  clients.push(client)
  return client
}
const refusal = (attempt: Promise<unknown>) => attempt.then(() => 'connected', (error: Error) => error.message)
const publishOutcome = (client: MqttClient, topic: string) =>
  client.publishAsync(topic, '{}', {qos: 1}).then(
    () => 'acknowledged',
    (error: Error) => error.message,
  )
/** A topic a grant covers: each `+` a plain level, a `#` one more. */
const topicOf = (grant: string) => grant.replaceAll('+', 'x').replace('#', 'x/y').replace('%c', 'someone')

describe.skipIf(!present)('Mosquitto on the files of `broker config`', () => {
  it('refuses a login without credentials, and one with a wrong password', async () => {
    expect(await refusal(login('none'))).toMatch(/Not authorized|Bad User Name or Password/i)
    expect(await refusal(login('reader', {password: 'guess'}))).toMatch(/Bad User Name or Password|Not authorized/i)
    expect(await refusal(login('item', {password: passwords().reader}))).toMatch(/Bad User Name or Password|Not authorized/i)
    await login('reader') // the real password is taken: the file's $7$ hashes are Mosquitto's own format
  })

  it('refuses a service publishing another\'s event and a reader publishing, with MQTT 5\'s reason code; nobody receives them', async () => {
    const reservation = await login('reservation', {clientId: 'gdmarket-reservation'})
    const received: string[] = []
    reservation.on('message', (topic) => received.push(topic))
    await reservation.subscribeAsync(['gdmarket/events/payment/+', 'gdmarket/requests/reservation/+'], {qos: 1})
    for (const role of ['item', 'reservation', 'reader'] as const) {
      expect(await publishOutcome(await login(role), 'gdmarket/events/payment/PaymentApproved'), role).toBe('Publish error: Not authorized')
    }
    const reader = await login('reader')
    for (const topic of ['gdmarket/requests/payment/approve', 'gdmarket/requests/reservation/pay', 'gdmarket/status/item', 'gdmarket/replies/gateway', 'gdmarket/events/item/ItemRegistered']) {
      expect(await publishOutcome(reader, topic), topic).toBe('Publish error: Not authorized')
    }
    // and what it may: a history request
    expect(await publishOutcome(reader, 'gdmarket/requests/item/history')).toBe('acknowledged')
    // payment's own event arrives, so the forged ones would have come before it had they been let through
    const payment = await login('payment')
    expect(await publishOutcome(payment, 'gdmarket/events/payment/PaymentApproved')).toBe('acknowledged')
    await eventually(() => expect(received).toEqual(['gdmarket/events/payment/PaymentApproved']))
  })

  it('under MQTT 3.1.1 a refused publish is acknowledged as if taken, and dropped: why the stack speaks MQTT 5 to it', async () => {
    const item = await login('item', {protocolVersion: 4})
    expect(await publishOutcome(item, 'gdmarket/events/payment/PaymentApproved')).toBe('acknowledged')
  })

  it('a reader subscribed to # receives events and liveness, never a request or a reply', async () => {
    const reader = await login('reader')
    const received: string[] = []
    reader.on('message', (topic) => received.push(topic))
    // Mosquitto's ACL file checks every delivery, not the SUBSCRIBE: the SUBACK grants it (docs/deploy.md)
    await reader.subscribeAsync(['#', 'gdmarket/#', 'gdmarket/requests/+/+'], {qos: 1})
    const gateway = await login('gateway', {clientId: 'gdmarket-gateway'})
    await gateway.publishAsync('gdmarket/requests/payment/approve', '{}', {qos: 1})
    const item = await login('item')
    await item.publishAsync('gdmarket/replies/gateway', '{}', {qos: 1})
    await item.publishAsync('gdmarket/events/item/ItemRegistered', '{}', {qos: 1})
    await eventually(() => expect(received).toContain('gdmarket/events/item/ItemRegistered'))
    expect(received.filter((t) => !t.startsWith('gdmarket/events/'))).toEqual([])
  })

  it('every role may publish exactly what the ownership table says, and receives exactly what it may subscribe to', async () => {
    const topics = [...new Set(roles.flatMap((role) => [...grantsOf(role).publish, ...grantsOf(role).subscribe]).map(topicOf))]
    topics.push('gdmarket/other', 'other/topic', 'gdmarket/events/view/Anything', 'gdmarket/requests/supervisor/stop')
    const listeners = new Map<Role, {clientId: string; got: Set<string>}>()
    for (const role of roles) {
      const clientId = role === 'reader' ? 'test-listener' : `gdmarket-${role}-listener`
      const client = await login(role, {clientId})
      const got = new Set<string>()
      client.on('message', (topic) => got.add(topic))
      await client.subscribeAsync('#', {qos: 1})
      listeners.set(role, {clientId, got})
    }
    const publishers = new Map(await Promise.all(roles.map(async (role) => [role, await login(role)] as const)))
    const decisions: string[] = []
    for (const topic of topics) {
      for (const role of roles) {
        const outcome = await publishOutcome(publishers.get(role)!, topic)
        decisions.push(`${role} ${topic}: ${outcome === 'acknowledged'} (table: ${mayPublish(role, topic)})`)
      }
    }
    expect(decisions.filter((d) => /: (true \(table: false|false \(table: true)\)/.test(d))).toEqual([])
    // each topic some role may publish was published once: who received it is who may read it
    const published = topics.filter((topic) => roles.some((role) => mayPublish(role, topic)))
    expect(published.length).toBeGreaterThan(20)
    await eventually(() => {
      for (const [role, {clientId, got}] of listeners) {
        expect([...got].sort(), role).toEqual(published.filter((topic) => maySubscribe(role, topic, clientId)).sort())
      }
    })
  })
})
