import {mkdirSync} from 'node:fs'

import {z} from 'zod'

import {connectBus} from '../bus/connect.js'
import {requestSchema, sendReply, type RequestMessage} from '../bus/rpc.js'
import {daemons, parseTopic, SUPERVISOR, topics, type DaemonName} from '../bus/topics.js'
import {loadSettings} from '../config.js'
import {badInput, GdError} from '../errors.js'
import {dataDir} from '../paths.js'
import {createLog} from '../runtime/log.js'
import {startBroker} from './broker.js'
import {removeStackFile, writeStackFile} from './stackFile.js'
import {Supervisor} from './supervisor.js'

/** What the supervisor tells whoever started it (over IPC for `up`, or a callback in the foreground). */
export type StartOutcome = {type: 'ready'; port: number; pid: number} | {type: 'failed'; message: string}

const serviceName = z.object({name: z.enum(daemons)})

/**
 * The stack of one data directory: the embedded broker, the supervisor that runs the daemons, and
 * the supervisor's own request handlers (status and operating one service).
 */
export async function runStack(root: string, flags: {port?: number}, notify: (outcome: StartOutcome) => void): Promise<void> {
  const dir = dataDir(root)
  mkdirSync(dir.runDir, {recursive: true})
  mkdirSync(dir.logsDir, {recursive: true})
  const log = createLog(SUPERVISOR)
  const startedAt = Date.now()

  const {values: settings} = loadSettings(dir.configFile, flags)
  const broker = await startBroker(settings.port, dir.brokerSocket)
  writeStackFile(dir.stackFile, {pid: process.pid, port: broker.port, socket: broker.socket, startedAt: new Date(startedAt).toISOString()})
  log.info(`broker listening on 127.0.0.1:${broker.port} (data dir ${dir.root})`)

  const supervisor = new Supervisor(dir, settings, broker, log)
  const client = await connectBus(broker, {clientId: 'gdmarket-supervisor', clean: true, reconnectPeriod: 0})
  supervisor.attach(client)
  await supervisor.announceAllOffline(daemons)
  let poison = 0

  const handlers: Record<string, (body: unknown) => Promise<unknown>> = {
    status: async () => ({
      port: broker.port,
      processes: [
        {
          name: SUPERVISOR,
          state: 'online',
          pid: process.pid,
          uptimeMs: Date.now() - startedAt,
          restarts: 0,
          lastExit: null,
          lastError: null,
          poisonMessages: poison,
          duplicates: 0,
        },
        ...supervisor.status(),
      ],
      breakers: supervisor.breakers(),
      deadLetters: supervisor.deadLetters(),
    }),
    start: async (body) => (await supervisor.start(parseName(body)), supervisor.status()),
    stop: async (body) => (await supervisor.stop(parseName(body)), supervisor.status()),
    restart: async (body) => (await supervisor.restart(parseName(body)), supervisor.status()),
  }
  client.on('message', (topic, payload) => {
    const command = parseTopic(topic).parts[1]
    let request: RequestMessage
    try {
      request = requestSchema.parse(JSON.parse(payload.toString()))
    } catch {
      poison++
      log.warn(`ignored a malformed request on ${topic} (${poison} so far)`)
      return
    }
    const handler = Object.hasOwn(handlers, command) ? handlers[command] : undefined
    const work = handler ? handler(request.body) : Promise.reject(badInput(`the supervisor has no command "${command}"`))
    work.then(
      (result) => sendReply(client, request, {ok: true, result}),
      (error: Error) =>
        sendReply(client, request, {
          ok: false,
          error: error instanceof GdError ? error.toWire() : {code: 'INTERNAL', message: error.message, exit: 5},
        }),
    )
  })
  await client.subscribeAsync(topics.requestsOf(SUPERVISOR), {qos: 1})

  let shuttingDown = false
  const shutdown = async (why: string, exitCode = 0) => {
    if (shuttingDown) return
    shuttingDown = true
    log.info(`shutting down: ${why}`)
    await supervisor.stopAll()
    await client.endAsync().catch(() => {})
    await broker.close()
    removeStackFile(dir.stackFile)
    log.info('stopped')
    process.exit(exitCode)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))

  const started = await Promise.allSettled(daemons.map((name: DaemonName) => supervisor.start(name)))
  const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected')
  if (failed) {
    notify({type: 'failed', message: (failed.reason as Error).message})
    await shutdown('a service failed to start', 1)
    return
  }
  log.info(`all services ready in ${Date.now() - startedAt} ms`)
  notify({type: 'ready', port: broker.port, pid: process.pid})
}

function parseName(body: unknown): DaemonName {
  const parsed = serviceName.safeParse(body)
  if (!parsed.success) throw badInput(`name a service: ${daemons.join(', ')}`)
  return parsed.data.name
}
