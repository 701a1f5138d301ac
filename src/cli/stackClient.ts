import {randomBytes} from 'node:crypto'

import type {MqttClient} from 'mqtt'

import {connectBus} from '../bus/connect.js'
import {parseLiveness, type Liveness} from '../bus/liveness.js'
import {Requester} from '../bus/rpc.js'
import {parseTopic, SUPERVISOR, topics} from '../bus/topics.js'
import {readStackFile, type StackInfo} from '../broker/stackFile.js'
import type {DataDir} from '../paths.js'
import {LIVENESS_WAIT_MS, noBroker, noReply, notRunning, serviceDown} from './stackAccess.js'

/** The CLI's connection to a running stack: one request, one reply, per command. */
export class StackClient {
  private readonly liveness = new Map<string, (state: Liveness) => void>()

  private constructor(
    private readonly client: MqttClient,
    private readonly requester: Requester,
    readonly stack: StackInfo,
    private readonly timeoutMs: number,
  ) {
    client.on('message', (topic, payload) => {
      const {kind, parts} = parseTopic(topic)
      if (kind === 'reply') this.requester.handleReply(payload)
      else if (kind === 'status') {
        const state = parseLiveness(payload)
        if (state) this.liveness.get(parts[0])?.(state)
      }
    })
  }

  static async open(dir: DataDir, timeoutMs: number): Promise<StackClient> {
    const stack = readStackFile(dir.stackFile)
    if (!stack) throw notRunning(dir)
    const clientId = `gdmarket-cli-${randomBytes(6).toString('hex')}`
    let client: MqttClient
    try {
      client = await connectBus(stack, {clientId, clean: true, reconnectPeriod: 0, connectTimeout: 3000})
    } catch {
      throw noBroker(stack.port)
    }
    const requester = new Requester(client, topics.reply(clientId))
    await client.subscribeAsync(requester.replyTopic, {qos: 1})
    return new StackClient(client, requester, stack, timeoutMs)
  }

  /**
   * Sends one request and waits for its reply. A daemon that is known to be down is not asked at
   * all: the command fails at once instead of running later, after its caller gave up.
   */
  async request(target: string, command: string, body: unknown = {}): Promise<unknown> {
    if (target !== SUPERVISOR) await this.ensureOnline(target)
    return this.requester.call(target, command, body, {
      timeoutMs: this.timeoutMs,
      onTimeout: () => noReply(target, this.timeoutMs),
    })
  }

  async close(): Promise<void> {
    await this.client.endAsync()
  }

  private async ensureOnline(target: string): Promise<void> {
    const state = new Promise<Liveness | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), LIVENESS_WAIT_MS)
      this.liveness.set(target, (s) => (clearTimeout(timer), resolve(s)))
    })
    const topic = topics.status(target)
    await this.client.subscribeAsync(topic, {qos: 0})
    const seen = await state
    this.liveness.delete(target)
    await this.client.unsubscribeAsync(topic)
    if (seen && seen.state !== 'online') throw serviceDown(target, seen.state)
  }
}
