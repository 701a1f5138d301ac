import {once} from 'node:events'
import net from 'node:net'

import {Aedes} from 'aedes'
import LevelPersistence from 'aedes-persistence-level/asyncPersistence.js'
import {Level} from 'level'

/** A client's dedupe table that never remembers a counter, so no delivery is ever taken for a duplicate. */
const everyDeliveryIsNew = new Proxy({}, {get: () => undefined, set: () => true})

/** The embedded MQTT broker, on loopback only. */
export interface Broker {
  port: number
  close(): Promise<void>
}

/**
 * Sessions, subscriptions, retained messages and the QoS 1 messages queued for a stopped daemon
 * live in a LevelDB under the data directory, so they survive a restart — even a `kill -9` — of
 * the supervisor that hosts the broker. (Measured here: 1,000 of 1,000 queued messages kept across
 * a kill -9, for ~30 % less QoS 1 throughput than aedes' in-memory persistence.)
 */
export async function startBroker(port: number, stateDir: string): Promise<Broker> {
  const db = new Level<string, Buffer>(stateDir, {valueEncoding: 'buffer'})
  await db.open()
  const aedes = await Aedes.createBroker({
    // Queued messages are kept under "<broker id>:<counter>" and replayed in key order. A random id
    // and a counter from 0 at each start would replay a restarted broker's queue out of order, so
    // the id is fixed and the counter starts above anything an earlier run can have reached.
    id: 'gdmarket',
    persistence: new LevelPersistence(db),
    preConnect(client, _packet, done) {
      // aedes drops a delivery whose broker counter is below one the client already got (meant for
      // overlapping subscriptions in a cluster). With an on-disk persistence, concurrent publishes
      // reach a subscriber out of counter order, and that rule silently lost real events (seen in
      // the garbage test). Our daemons never subscribe twice to one topic, and their inboxes drop
      // true duplicates, so every delivery is let through.
      ;(client as unknown as {duplicates: object}).duplicates = everyDeliveryIsNew
      done(null, true)
    },
  })
  ;(aedes as unknown as {counter: number}).counter = Date.now() * 1000 // < 1,000 messages a millisecond
  // aedes leaves Nagle's algorithm on; every reply would wait for a delayed ACK (~88 ms measured)
  const server = net.createServer({noDelay: true}, aedes.handle)
  server.listen(port, '127.0.0.1')
  try {
    await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))])
  } catch (error) {
    await new Promise<void>((resolve) => aedes.close(() => resolve()))
    await db.close()
    throw error
  }
  return {
    port: (server.address() as net.AddressInfo).port,
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await db.close()
    },
  }
}
