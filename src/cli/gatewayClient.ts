import http from 'node:http'

import {Exit, GdError, unavailable, type ExitCode} from '../errors.js'
import type {DataDir} from '../paths.js'
import {readStackFile, type StackInfo} from '../stackFile.js'
import {gatewayGone, notRunning, type GatewayAddress} from './stackAccess.js'

export type {GatewayAddress}

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** The exit code of each HTTP status the gateway answers with (docs/http-api.md). */
const exitOfStatus: Record<number, ExitCode> = {400: Exit.badInput, 404: Exit.notFound, 409: Exit.refused, 503: Exit.unavailable}

/** Where the gateway listens: its Unix socket (the CLI's door), else TCP on 127.0.0.1. */

export const addressOf = (stack: StackInfo): GatewayAddress =>
  stack.httpSocket ? {socketPath: stack.httpSocket} : {host: '127.0.0.1', port: stack.httpPort}

/**
 * The one HTTP client of the CLI, the wizard and `gdmarket load`: JSON in and out, the gateway's
 * error body turned back into the GdError (and exit code) it came from.
 */
export class GatewayClient {
  constructor(
    readonly address: GatewayAddress,
    /** how long to wait for an answer; the gateway's own deadline is shorter */
    private readonly timeoutMs: number,
    /** a keep-alive agent for many requests (load); a command sends one */
    private readonly agent?: http.Agent,
    /** sees every answer's headers, with its request (the benchmark reads Server-Timing) */
    private readonly observe?: (method: Method, path: string, body: unknown, headers: http.IncomingHttpHeaders) => void,
  ) {}

  /**
   * The gateway of the stack running for this data dir (exit 5 when none runs). It waits a little
   * longer than the gateway's own deadline, which answers first with what timed out; that deadline
   * is the running stack's, from run/stack.json, so no command that talks to a stack reads config.json.
   */
  static of(dir: DataDir, agent?: http.Agent): GatewayClient {
    const stack = readStackFile(dir.stackFile)
    if (!stack) throw notRunning(dir)
    return new GatewayClient(addressOf(stack), stack.requestTimeoutMs + 2000, agent)
  }

  async call<R = unknown>(method: Method, path: string, body?: unknown): Promise<R> {
    const {status, text} = await this.send(method, path, body)
    let parsed: unknown
    try {
      parsed = text ? JSON.parse(text) : undefined
    } catch {
      throw unavailable('BAD_ANSWER', `the gateway answered ${method} ${path} with something else than JSON (HTTP ${status})`)
    }
    if (status >= 200 && status < 300) return parsed as R
    const error = (parsed as {error?: {code?: unknown; message?: unknown; next?: unknown}} | undefined)?.error
    const code = typeof error?.code === 'string' ? error.code : `HTTP_${status}`
    const message = typeof error?.message === 'string' ? error.message : `the gateway answered HTTP ${status}`
    // zod only on a refusal: a command's success path never loads it (docs/performance.md)
    const {nextStepSchema} = await import('../nextStep.js')
    const next = nextStepSchema.safeParse(error?.next)
    throw new GdError(code, message, exitOfStatus[status] ?? (1 as ExitCode), next.success ? next.data : undefined)
  }

  /** The response itself, for a stream (server-sent events). */
  open(method: Method, path: string): Promise<http.IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = http.request({...this.address, agent: this.agent, method, path, headers: {Accept: 'text/event-stream'}}, resolve)
      req.on('error', (error) => reject(this.connectionFailure(error)))
      req.end()
    })
  }

  private send(method: Method, path: string, body: unknown): Promise<{status: number; text: string}> {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {Accept: 'application/json'}
      if (payload !== undefined) Object.assign(headers, {'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload)})
      const req = http.request({...this.address, agent: this.agent, method, path, headers, timeout: this.timeoutMs}, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          this.observe?.(method, path, body, res.headers)
          resolve({status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8')})
        })
        res.on('error', (error) => reject(this.connectionFailure(error)))
      })
      req.on('timeout', () => req.destroy(unavailable('TIMEOUT', `the gateway did not answer ${method} ${path} within ${this.timeoutMs} ms; check \`gdmarket status\``)))
      req.on('error', (error) => reject(error instanceof GdError ? error : this.connectionFailure(error)))
      req.end(payload)
    })
  }

  private connectionFailure(error: Error): GdError {
    return gatewayGone(this.address, error)
  }
}
