import {chmodSync, rmSync} from 'node:fs'
import net from 'node:net'

import {Aedes, type AedesOptions, type AedesPublishPacket} from 'aedes'
import mqttPacket from 'mqtt-packet'

import {coalesceWrites} from '../bus/coalesceWrites.js'
import {parseTopic} from '../bus/topics.js'
import {listen, MAX_SOCKET_PATH} from './listen.js'
import {packetGuard} from './packetGuard.js'

/** A client's dedupe table that never remembers a counter, so no delivery is ever taken for a duplicate. */
const everyDeliveryIsNew = new Proxy({}, {get: () => undefined, set: () => true})

/** The stack's broker: the embedded one, on loopback only, or an external one it is a client of (brokerClient.ts). */
export interface Broker {
  port: number
  /** the Unix socket, unless its path is too long for one */
  socket?: string
  /** an external broker's address (`brokerUrl`), and the CA its certificate is checked against */
  url?: string
  caFile?: string
  /** publishes from inside this process (the gateway's requests, the supervisor's announcements): QoS 1, kept for offline sessions */
  publish(topic: string, payload: string, options?: {retain?: boolean}): Promise<void>
  /** delivers what is published on a topic filter to a function in this process */
  subscribe(filter: string, deliver: (topic: string, payload: Buffer) => void): Promise<void>
  /** every message it has carried since it started, by kind (events, requests, replies, liveness); an external one: what the gateway sent and saw */
  readonly messages: Record<string, number>
  close(): Promise<void>
}

/** Sees every message the broker accepts from a client, before the publisher is acknowledged. */
export type OnAccepted = (topic: string, payload: Buffer) => void

/** Who may connect, and publish and subscribe what (src/bus/walls.ts); none: everyone, everything (the bench's bare broker). */
export interface BrokerWalls {
  /** the role of a connection, or undefined to refuse it */
  authenticate(clientId: string, username: string | undefined, password: Buffer | undefined): string | undefined
  mayPublish(role: string, topic: string): boolean
  maySubscribe(role: string, filter: string, clientId: string): boolean
}

/** Requests, events and liveness are small; a reply can be a whole list (the view of 100k items), so it is not bounded here. */
const MAX_PAYLOAD = 256 * 1024
/** A packet before a login: a CONNECT is a few hundred bytes. */
const MAX_BEFORE_LOGIN = 16 * 1024
/** Connections at once: the stack's own are a handful. */
const MAX_CONNECTIONS = 256

/**
 * Sessions, subscriptions, retained messages and the QoS 1 messages queued for a stopped daemon
 * live in the broker's memory (aedes' default persistence): they outlive any daemon's restart,
 * not the supervisor's. The durable copy of every event is its producer's store, and a consumer
 * that finds no session at the broker catches up from there (src/runtime/repair.ts). An on-disk
 * persistence (aedes-persistence-level) was measured first: it was 47.5 % of the broker's CPU
 * and halved the stack's throughput, for a guarantee the producers' stores already give.
 */
export async function startBroker(port: number, socketPath: string, onAccepted: OnAccepted = () => {}, walls?: BrokerWalls): Promise<Broker> {
  const roleOf = new WeakMap<object, string>()
  const messages: Record<string, number> = {event: 0, request: 0, reply: 0, status: 0}
  // aedes writes with mqtt-packet, whose first write would fill a table of 65,536 two-byte Buffers
  // (6.6 MB of heap) to save allocating 2 bytes per number; the daemons' clients skip it (connect.ts)
  mqttPacket.writeToStream.cacheNumbers = false
  const aedes = await Aedes.createBroker(aedesOptions(roleOf, messages, onAccepted, walls))
  // aedes leaves Nagle's algorithm on; every reply would wait for a delayed ACK (~88 ms measured)
  const handle = (socket: net.Socket) => {
    coalesceWrites(socket)
    const client = aedes.handle(socket)
    if (!walls) return
    // a daemon may send a whole list in a reply; a reader only small requests; a stranger its CONNECT
    const limit = () => {
      const role = roleOf.get(client)
      return role === undefined ? MAX_BEFORE_LOGIN : role === 'reader' ? MAX_PAYLOAD + 1024 : Infinity
    }
    // aedes reads with read(): a 'data' listener sees each chunk as it does, and changes nothing else
    socket.on('data', packetGuard(limit, () => socket.destroy()))
  }
  const servers = [net.createServer({noDelay: true}, handle)]
  servers[0].maxConnections = MAX_CONNECTIONS
  try {
    await listen(servers[0], {port, host: '127.0.0.1'})
  } catch (error) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()))
    throw error
  }
  // the Unix socket only speeds things up: without it (a path too long for one, a file system
  // that refuses it) everything goes over TCP
  const unix = await listenOnSocket(socketPath, handle)
  if (unix) servers.push(unix)
  const socket = unix ? socketPath : undefined
  return {
    port: (servers[0].address() as net.AddressInfo).port,
    socket,
    messages,
    publish: (topic, payload, options) => publishInProcess(aedes, topic, payload, options?.retain ?? false),
    subscribe: (filter, deliver) =>
      new Promise((resolve) =>
        aedes.subscribe(
          filter,
          (packet: AedesPublishPacket, done: () => void) => {
            deliver(packet.topic, packet.payload as Buffer)
            done()
          },
          resolve,
        ),
      ),
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))))
    },
  }
}

/** aedes' hooks: the walls (who may log in, publish, subscribe), the message counts, and the frontier's watch. */
function aedesOptions(roleOf: WeakMap<object, string>, messages: Record<string, number>, onAccepted: OnAccepted, walls?: BrokerWalls): AedesOptions {
  return {
    // a connection that has not logged in by then is closed (aedes' default is 30 s)
    connectTimeout: 5000,
    // every message, from a client or from inside this process: what `status` and the bench count
    published(packet, _client, done) {
      const kind = parseTopic(packet.topic).kind
      if (kind !== 'other') messages[kind]++
      done(null)
    },
    preConnect(client, _packet, done) {
      // aedes drops a delivery whose broker counter is below one the client already got (meant for
      // overlapping subscriptions in a cluster). Concurrent publishes can reach a subscriber out of
      // counter order, and that rule silently lost real events (seen in the garbage test). Our
      // daemons never subscribe twice to one topic, and their inboxes drop true duplicates, so
      // every delivery is let through.
      ;(client as unknown as {duplicates: object}).duplicates = everyDeliveryIsNew
      done(null, true)
    },
    authenticate(client, username, password, done) {
      if (!walls) return done(null, true)
      const role = walls.authenticate(client.id, username ?? undefined, password ?? undefined)
      if (!role) return done(Object.assign(new Error('bad user name or password'), {returnCode: 4 as const}), false)
      roleOf.set(client, role)
      done(null, true)
    },
    // Runs before the PUBACK (aedes acknowledges a QoS 1 publish before it delivers it): so a
    // change is in the gateway's frontier before its producer can tell anyone about it.
    authorizePublish(client, packet, done) {
      // the gateway and the supervisor publish from inside this process (client null)
      const role = client ? roleOf.get(client) : undefined
      if (client && walls && (!role || !walls.mayPublish(role, packet.topic))) return done(new Error(`not allowed to publish on ${packet.topic}`))
      if ((packet.payload as Buffer).length > MAX_PAYLOAD && parseTopic(packet.topic).kind !== 'reply') return done(new Error(`a message over ${MAX_PAYLOAD} bytes`))
      if (client) onAccepted(packet.topic, packet.payload as Buffer)
      done(null)
    },
    authorizeSubscribe(client, subscription, done) {
      const role = roleOf.get(client)
      if (walls && (!role || !walls.maySubscribe(role, subscription.topic, client.id))) return done(null, null) // refused: 0x80 in the SUBACK
      done(null, subscription)
    },
  }
}

/** The broker's Unix socket in run/ (0600: only this user's processes reach it), or undefined where there can be none. */
async function listenOnSocket(socketPath: string, handle: (socket: net.Socket) => void): Promise<net.Server | undefined> {
  if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH) return undefined
  try {
    rmSync(socketPath, {force: true}) // left by a supervisor that was killed; only one stack runs per data dir
    const server = net.createServer(handle)
    server.maxConnections = MAX_CONNECTIONS
    await listen(server, {path: socketPath})
    chmodSync(socketPath, 0o600)
    return server
  } catch {
    return undefined
  }
}

function publishInProcess(aedes: Aedes, topic: string, payload: string, retain: boolean): Promise<void> {
  return new Promise((resolve, reject) =>
    aedes.publish({cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain, dup: false}, (error) =>
      error ? reject(error) : resolve(),
    ),
  )
}
