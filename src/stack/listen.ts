import {once} from 'node:events'
import type net from 'node:net'

/** sockaddr_un holds 108 bytes with the terminating zero */
export const MAX_SOCKET_PATH = 107

/** Listens and resolves once listening, or rejects with the listen error (a port in use). */
export async function listen(server: net.Server, where: net.ListenOptions): Promise<void> {
  server.listen(where)
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))])
}
