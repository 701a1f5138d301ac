import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {Requester, type RequestMessage} from '../../src/bus/rpc.js'
import {refused, unavailable, type GdError} from '../../src/errors.js'
import {CausalBarrier} from '../../src/runtime/barrier.js'
import {EventPipeline} from '../../src/runtime/eventPipeline.js'
import {LivenessWatch} from '../../src/runtime/livenessWatch.js'
import type {Log} from '../../src/runtime/log.js'
import {Mailbox} from '../../src/runtime/mailbox.js'
import {RequestServer} from '../../src/runtime/requestServer.js'
import {serviceContext} from '../../src/runtime/serviceContext.js'
import type {ServiceDefinition} from '../../src/runtime/service.js'
import {ServiceStore} from '../../src/store/serviceStore.js'
import {camera, envelope, registered} from './given.js'
import {kindsUnderTest} from './storeContract.js'

const quiet: Log = {info: () => {}, warn: () => {}, error: () => {}}
const liveness = (state: string, pid: number | null) => Buffer.from(JSON.stringify({state, pid, at: new Date().toISOString()}))

/** A request as the gateway sends it, and the replies the server published for it. */
function harness(handlers: Record<string, (body: unknown, request: RequestMessage) => Promise<unknown>>, caughtUp = async () => {}) {
  const replies: {topic: string; reply: any}[] = []
  const poisoned: string[] = []
  const waited: unknown[] = []
  const server = new RequestServer({
    service: 'item',
    publish: async (topic, payload) => void replies.push({topic, reply: JSON.parse(payload)}),
    log: quiet,
    poison: (why) => poisoned.push(why),
    caughtUp: async (command, frontier) => (waited.push([command, frontier]), caughtUp()),
  })
  server.serve(handlers)
  const send = (command: string, body: unknown, extra: Partial<RequestMessage> = {}) =>
    server.handle(`gdmarket/requests/item/${command}`, command, Buffer.from(JSON.stringify({id: `r-${command}`, replyTo: 'gdmarket/replies/gateway', deadline: Date.now() + 5000, body, ...extra})))
  return {server, send, replies, poisoned, waited}
}

describe('request server', () => {
  it('runs the handler once caught up with the frontier the request carries, and replies to its reply topic', async () => {
    const h = harness({show: async (body) => ({shown: body})})
    h.send('show', {itemNo: 3}, {after: {reservation: 4}})
    await h.server.idle()
    expect(h.waited).toEqual([['show', {reservation: 4}]])
    expect(h.replies).toEqual([{topic: 'gdmarket/replies/gateway', reply: {id: 'r-show', ok: true, result: {shown: {itemNo: 3}}}}])
  })

  it('answers a refusal with its code and exit, an unknown command as bad input, and a bug as INTERNAL (exit 5)', async () => {
    const h = harness({
      lend: async () => Promise.reject(refused('NOT_PAID', 'reservation 1 is not paid')),
      crash: async () => Promise.reject(new Error('boom')),
    })
    for (const command of ['lend', 'nope', 'crash']) h.send(command, {})
    await h.server.idle()
    expect(Object.fromEntries(h.replies.map((r) => [r.reply.id, r.reply.error]))).toEqual({
      'r-lend': {code: 'NOT_PAID', message: 'reservation 1 is not paid', exit: 3},
      'r-nope': {code: 'UNKNOWN_COMMAND', message: 'the item service has no command "nope"', exit: 2},
      'r-crash': {code: 'INTERNAL', message: expect.stringContaining('boom'), exit: 5, next: {command: 'logs', service: 'item'}},
    })
  })

  it('once the store could not be written, answers every request, and every failure, with why', async () => {
    let broken: GdError | undefined
    const full = unavailable('STORAGE', 'the item service cannot write /d: no space left on device')
    const server = new RequestServer({
      service: 'item',
      publish: async (_t, p) => void replies.push(JSON.parse(p)),
      log: quiet,
      poison: () => {},
      caughtUp: async () => {},
      refusal: () => broken,
    })
    const replies: any[] = []
    server.serve({
      register: async () => {
        broken = full
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'})
      },
      show: async () => 'not served from a store that is behind its memory',
    })
    for (const command of ['register', 'show']) {
      server.handle('t', command, Buffer.from(JSON.stringify({id: command, replyTo: 'r', deadline: Date.now() + 5000, body: {}})))
      await server.idle()
    }
    expect(replies).toEqual([
      {id: 'register', ok: false, error: full.toWire()},
      {id: 'show', ok: false, error: full.toWire()},
    ])
  })

  it('an answer made while the store failed is not sent as a success: it may show what never reached the disk', async () => {
    let broken: GdError | undefined
    const full = unavailable('STORAGE', 'the item service cannot write /d: no space left on device')
    const replies: any[] = []
    const server = new RequestServer({service: 'item', publish: async (_t, p) => void replies.push(JSON.parse(p)), log: quiet, poison: () => {}, caughtUp: async () => {}, refusal: () => broken})
    server.serve({
      show: async () => {
        broken = full // the write of a command before it failed while this was read
        return {itemNo: 1}
      },
    })
    server.handle('t', 'show', Buffer.from(JSON.stringify({id: 'show', replyTo: 'r', deadline: Date.now() + 5000, body: {}})))
    await server.idle()
    expect(replies).toEqual([{id: 'show', ok: false, error: full.toWire()}])
  })

  it('drops a request whose caller gave up, and counts one that is not a request', async () => {
    const h = harness({show: async () => 'shown'})
    h.send('show', {}, {deadline: Date.now() - 1})
    h.server.handle('gdmarket/requests/item/show', 'show', Buffer.from('{"id": 1'))
    await h.server.idle()
    expect(h.replies).toEqual([])
    expect(h.poisoned).toEqual(['not a request'])
  })

  it('holds requests that come before its handlers, and answers them once it serves', async () => {
    const replies: unknown[] = []
    const server = new RequestServer({service: 'item', publish: async (_t, p) => void replies.push(JSON.parse(p)), log: quiet, poison: () => {}, caughtUp: async () => {}})
    server.handle('t', 'show', Buffer.from(JSON.stringify({id: 'early', replyTo: 'r', deadline: Date.now() + 5000, body: {}})))
    await new Promise((r) => setImmediate(r))
    expect(replies).toEqual([])
    server.serve({show: async () => 'late but answered'})
    await server.idle()
    expect(replies).toEqual([{id: 'early', ok: true, result: 'late but answered'}])
  })
})

describe('event pipeline', () => {
  const pipeline = () => {
    const applied: string[] = []
    const poisoned: string[] = []
    let counted = 0
    let appliedSeq = 0
    const barrier = new CausalBarrier({service: 'reservation', sources: ['item'], appliedUpTo: () => appliedSeq})
    const p = new EventPipeline({
      apply: async (e) => (applied.push(e.type), (appliedSeq = e.seq), e.seq === 2 ? 'duplicate' : 'applied'),
      mailbox: new Mailbox(),
      barrier,
      poison: (why) => void poisoned.push(why),
      counted: () => void counted++,
    })
    return {p, applied, poisoned, barrier, counted: () => counted}
  }

  it('applies a valid event and releases the requests waiting for it', async () => {
    const {p, applied, barrier} = pipeline()
    const waiting = barrier.caughtUp({item: 1})
    await p.deliver('gdmarket/events/item/ItemRegistered', Buffer.from(JSON.stringify(envelope(registered(), {seq: 1}))))
    await waiting
    expect(applied).toEqual(['ItemRegistered'])
  })

  it('counts a message that is not JSON or not an event, and applies nothing for it', async () => {
    const {p, applied, poisoned} = pipeline()
    expect(p.deliver('t', Buffer.from('not json'))).toBeUndefined()
    expect(p.deliver('t', Buffer.from(JSON.stringify({type: 'Bogus', seq: 1})))).toBeUndefined()
    expect(applied).toEqual([])
    expect(poisoned[0]).toBe('not JSON')
    expect(poisoned).toHaveLength(2)
  })

  it('tells the counters when an event was not simply applied (a duplicate)', async () => {
    const {p, counted} = pipeline()
    await p.deliver('t', Buffer.from(JSON.stringify(envelope(registered(), {seq: 2}))))
    expect(counted()).toBe(1)
  })

  it('applies fetched events in order through the same mailbox', async () => {
    const {p, applied} = pipeline()
    await p.fetched([envelope(registered(), {seq: 1}), envelope(registered({...camera, itemNo: 2}), {seq: 3})], 'item')
    expect(applied).toEqual(['ItemRegistered', 'ItemRegistered'])
  })

  it('checks fetched events like delivered ones: a malformed one, or one of another source than the service asked, is counted and dropped', async () => {
    const {p, applied, poisoned} = pipeline()
    await p.fetched([{type: 'Bogus', data: {}}, envelope(registered(), {seq: 1})], 'payment')
    await p.fetched('not a list of events', 'payment')
    expect(applied).toEqual([])
    expect(poisoned).toHaveLength(3)
    expect(poisoned[1]).toBe('an event of item in the answer of payment')
  })
})

describe('liveness watch', () => {
  const watch = () => {
    const said: number[] = []
    const poisoned: string[] = []
    const w = new LivenessWatch({service: 'item', follows: ['reservation'], log: quiet, sayOnline: () => said.push(1), stopping: () => false, poison: (why) => poisoned.push(why)})
    return {w, said, poisoned}
  }

  it('says online again over a stale will of a predecessor, not over the supervisor\'s pid-less announcement', () => {
    const {w, said} = watch()
    w.observe('gdmarket/status/item', 'item', liveness('offline', process.pid + 100_000))
    w.observe('gdmarket/status/item', 'item', liveness('offline', null))
    w.observe('gdmarket/status/item', 'item', liveness('offline', process.pid))
    expect(said).toHaveLength(1)
  })

  it('knows which followed services are online, and counts what is no liveness message', () => {
    const {w, poisoned} = watch()
    w.observe('gdmarket/status/reservation', 'reservation', liveness('online', 7))
    expect(w.online.has('reservation')).toBe(true)
    w.observe('gdmarket/status/reservation', 'reservation', liveness('stopped', null))
    expect(w.online.has('reservation')).toBe(false)
    w.observe('gdmarket/status/reservation', 'reservation', Buffer.from('garbage'))
    w.observe('gdmarket/status/payment', 'payment', liveness('online', 8))
    expect(poisoned).toEqual(['not a liveness message', 'unexpected topic'])
  })

  it('counts a followed service as down only when its supervisor stopped it or gave up, not while it restarts', () => {
    const {w} = watch()
    const seen = (state: 'online' | 'offline' | 'stopped' | 'errored') => {
      w.observe('gdmarket/status/reservation', 'reservation', liveness(state, state === 'online' ? 7 : null))
      return w.down.has('reservation')
    }
    expect([seen('online'), seen('offline'), seen('online'), seen('stopped'), seen('online'), seen('errored')]).toEqual([false, false, false, true, false, true])
  })
})

describe('service context', () => {
  interface Count {
    n: number
  }
  let dir: string
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'gdmarket-context-'))))
  afterEach(() => rmSync(dir, {recursive: true, force: true}))

  async function context(file = join(dir, 'item.json')) {
    const evolve = (s: Count) => ({n: s.n + 1})
    const store = await ServiceStore.open<Count>('item', file, () => ({n: 0}), evolve)
    const def: ServiceDefinition<Count> = {name: 'item', initialState: () => ({n: 0}), follows: [], evolve, commands: {}, handlers: () => ({})}
    const published: number[] = []
    const ctx = serviceContext({
      def,
      settings: {requestTimeoutMs: 5000} as never,
      log: quiet,
      store,
      mailbox: new Mailbox(),
      published: async (seq) => void published.push(seq),
      applyEvents: async () => {},
      requester: new Requester(async () => {}, 'r'),
      reportBreaker: () => {},
      storeFailed: (error) => {
        throw error
      },
    })
    return {ctx, store, published}
  }
  const decision = (events: number) => () => ({events: Array.from({length: events}, () => registered()), correlationId: 'c', causationId: null})

  it('stores a change with its stamped events and answers once the broker has them', async () => {
    const {ctx, store, published} = await context()
    const answer = await ctx.execute(decision(2), (state, events) => ({n: state.n, seqs: events.map((e) => e.seq)}))
    expect(answer).toEqual({n: 2, seqs: [1, 2]})
    expect(store.lastSeq).toBe(2)
    expect(published).toEqual([2])
  })

  it.each(kindsUnderTest)('after a failed write ($kind), commands that store events are refused with it, and no promise is left to fail unheard', async (kind) => {
    const {ctx, store} = await context(kind.file(dir))
    await ctx.execute(decision(1), () => 'ok')
    kind.fill(store as ServiceStore<unknown>)
    const failures = [ctx.execute(decision(40), () => 'never'), ctx.execute(decision(1), () => 'never')]
    for (const failure of failures) await expect(failure).rejects.toBeDefined()
    // one decided after the failure, while the 200 ms before the daemon exits run: its wait for the
    // commits before it fails too, and must not become an unhandled rejection (a crash, exit code 1)
    await expect(ctx.execute(decision(1), () => 'never')).rejects.toBeDefined()
    await new Promise((resolve) => setImmediate(resolve))
  })

  it('a refusal changes nothing and waits for nothing', async () => {
    const {ctx, store, published} = await context()
    const refusal = refused('NO', 'not now')
    await expect(
      ctx.execute(
        () => {
          throw refusal
        },
        () => 'never',
      ),
    ).rejects.toBe(refusal)
    expect(store.lastSeq).toBe(0)
    expect(published).toEqual([])
    expect(await ctx.read((s) => s.n)).toBe(0)
  })
})
