import {once} from 'node:events'
import type net from 'node:net'

/** sockaddr_un holds 108 bytes with the terminating zero */
export const MAX_SOCKET_PATH = 107

/** Listens and resolves once listening, or rejects with the listen error (a port in use). */
export async function listen(server: net.Server, where: net.ListenOptions): Promise<void> {
  server.listen(where)
  await Promise.race([once(server, 'listening'), once(server, 'error').then(([error]) => Promise.reject(error))])
}

/**
 * Why a port could not be listened on, as one line with the fix (docs/commands.md, "Start and
 * stop"): `what` is who wanted it, `choose` the flag and setting that pick another.
 */
export function cannotListen(what: string, port: number, error: unknown, choose: string): string {
  const code = (error as NodeJS.ErrnoException).code
  const why = code === 'EADDRINUSE' ? `port ${port} is in use` : code === 'EACCES' ? `port ${port} needs privileges this user does not have` : (error as Error).message
  return `${what} cannot listen on 127.0.0.1:${port}: ${why}; choose another with ${choose} (0 = any free port)`
}
