import {once} from 'node:events'
import net from 'node:net'

import {Aedes} from 'aedes'

/** A client's dedupe table that never remembers a counter, so no delivery is ever taken for a duplicate. */
const everyDeliveryIsNew = new Proxy({}, {get: () => undefined, set: () => true})

/** The embedded MQTT broker, on loopback only. */
export interface Broker {
  port: number
  close(): Promise<void>
}

/**
 * Sessions, subscriptions, retained messages and the QoS 1 messages queued for a stopped daemon
 * live in the broker's memory (aedes' default persistence): they outlive any daemon's restart,
 * not the supervisor's. The durable copy of every event is its producer's store, and a consumer
 * that finds no session at the broker catches up from there (src/runtime/catchUp.ts). An on-disk
 * persistence (aedes-persistence-level) was measured first: it was 47.5 % of the broker's CPU
 * and halved the stack's throughput, for a guarantee the producers' stores already give.
 */
export async function startBroker(port: number): Promise<Broker> {
  const aedes = await Aedes.createBroker({
    preConnect(client, _packet, done) {
      // aedes drops a delivery whose broker counter is below one the client already got (meant for
      // overlapping subscriptions in a cluster). Concurrent publishes can reach a subscriber out of
      // counter order, and that rule silently lost real events (seen in the garbage test). Our
      // daemons never subscribe twice to one topic, and their inboxes drop true duplicates, so
      // every delivery is let through.
      ;(client as unknown as {duplicates: object}).duplicates = everyDeliveryIsNew
      done(null, true)
    },
  })
  // aedes leaves Nagle's algorithm on; every reply would wait for a delayed ACK (~88 ms measured)
  const server = net.createServer({noDelay: true}, aedes.handle)
  server.listen(port, '127.0.0.1')
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))])
  } catch (error) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()))
    throw error
  }
  return {
    port: (server.address() as net.AddressInfo).port,
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
