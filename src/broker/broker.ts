import {once} from 'node:events'
import net from 'node:net'

import {Aedes} from 'aedes'

/** The embedded MQTT broker, on loopback only. */
export interface Broker {
  port: number
  close(): Promise<void>
}

export async function startBroker(port: number): Promise<Broker> {
  const aedes = await Aedes.createBroker()
  // aedes leaves Nagle's algorithm on; every reply would wait for a delayed ACK (~88 ms measured)
  const server = net.createServer({noDelay: true}, aedes.handle)
  server.listen(port, '127.0.0.1')
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))])
  return {
    port: (server.address() as net.AddressInfo).port,
    async close() {
      await new Promise<void>((resolve) => aedes.close(() => resolve()))
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
