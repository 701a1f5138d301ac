import {mkdtempSync, rmSync} from 'node:fs'
import http from 'node:http'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {Writable} from 'node:stream'
import {setImmediate as turn} from 'node:timers/promises'

import {afterEach, describe, expect, it, vi} from 'vitest'

import type {Envelope} from '../../../src/bus/events.js'
import {followEvents as followAsCli} from '../../../src/cli/eventStream.js'
import {GatewayClient} from '../../../src/cli/gatewayClient.js'
import type {Log} from '../../../src/runtime/log.js'
import {END_GRACE_MS, eventStream, MAX_STREAM_BUFFER} from '../../../src/stack/gateway/eventStream.js'
import {gatewayRoutes, type GatewayDeps} from '../../../src/stack/gateway/routes.js'
import {startGateway, type Gateway} from '../../../src/stack/gateway/server.js'

/** A reader that stopped reading: nothing written ever leaves. */
const stuck = () => new Writable({highWaterMark: 16 * 1024, write: () => {}})

const event = (seq: number): Envelope => ({
  id: `id-${seq}`,
  type: 'ItemRegistered',
  source: 'item',
  time: new Date(1_800_000_000_000 + seq).toISOString(),
  correlationId: `c-${seq}`,
  causationId: null,
  seq,
  data: {itemNo: seq, itemName: `Item ${seq} `.padEnd(200, 'x'), itemPrice: 1},
})

describe('a stream of server-sent events never holds more than its limit for a reader (issue 16, point 6)', () => {
  afterEach(() => vi.useRealTimers())

  it('drops a reader that stopped, with a last event saying why, and what waits stays under the limit', async () => {
    vi.useFakeTimers()
    const out = stuck()
    const stream = eventStream(out, 64 * 1024)
    let sent = 0
    let most = 0
    while (stream.send('event', event(sent + 1))) {
      sent++
      most = Math.max(most, out.writableLength)
    }
    expect(most).toBeLessThanOrEqual(64 * 1024)
    expect(sent).toBeGreaterThan(100)
    expect(stream.send('event', event(sent + 2)), 'nothing more once dropped').toBe(false)
    await stream.gone
    expect(out.writableEnded).toBe(true)
    expect(out.writableLength - most).toBeLessThan(1024) // the last event, which says why
    expect(await stream.drained()).toBe(false)
    // a reader that does not even take the last event loses its connection after the grace
    expect(out.destroyed).toBe(false)
    vi.advanceTimersByTime(END_GRACE_MS)
    expect(out.destroyed).toBe(true)
  })

  it('waits for a slow reader that reads: drained() resolves once it has taken what waited', async () => {
    const chunks: string[] = []
    let release: (() => void) | undefined
    const out = new Writable({highWaterMark: 1024, write: (chunk, _enc, done) => (chunks.push(String(chunk)), (release = done))})
    const stream = eventStream(out)
    while (!out.writableNeedDrain) stream.send('event', event(chunks.length + 1))
    let drained = false
    const waiting = stream.drained().then((ok) => (drained = ok))
    await turn()
    expect(drained).toBe(false)
    while (out.writableLength > 0) release!(), await turn()
    await waiting
    expect(drained).toBe(true)
  })
})

describe('GET /events?follow=true on the real gateway, with a reader whose socket is paused', () => {
  let gateway: Gateway | undefined
  let dir: string | undefined
  afterEach(async () => {
    await gateway?.close()
    if (dir) rmSync(dir, {recursive: true, force: true})
    gateway = dir = undefined
  })

  const log: Log = {info: () => {}, warn: () => {}, error: () => {}} as unknown as Log

  /** The gateway over fake services: the history is what the test hands it, live events what it pushes. */
  async function start(history: () => Promise<Envelope[]>) {
    const followers = new Set<(event: Envelope) => void>()
    const deps = {
      history: async () => ({events: await history(), leftOut: []}),
      follow: (_filter: unknown, send: (event: Envelope) => void) => (followers.add(send), () => followers.delete(send)),
    } as unknown as GatewayDeps
    dir = mkdtempSync(path.join(tmpdir(), 'gdmarket-stream-'))
    gateway = await startGateway(gatewayRoutes(deps), {port: 0, socketPath: path.join(dir, 'gateway.sock')}, log)
    const res = await new Promise<http.IncomingMessage>((resolve, reject) =>
      http.get({host: '127.0.0.1', port: gateway!.httpPort, path: '/events?follow=true', agent: false}, resolve).on('error', reject),
    )
    res.setEncoding('utf8')
    let text = ''
    let ended = false
    res.on('data', (chunk: string) => (text += chunk))
    res.on('end', () => (ended = true))
    const until = async (done: () => boolean) => {
      while (!done()) await turn()
    }
    return {followers, res, ended: () => ended, text: () => text, until, push: (e: Envelope) => followers.forEach((f) => f(e))}
  }

  it('drops a reader that stopped reading once 1 MiB waits for it, stops following for it, and its last event says why', async () => {
    const s = await start(async () => [event(1)])
    await s.until(() => s.text().includes('event: caught-up'))
    s.res.pause() // what comes waits in the kernel's buffers, then in the gateway's
    let seq = 1
    let pushed = 0
    // the kernel's buffers fill first, then the gateway's, up to the limit: far less than this bound
    while (s.followers.size > 0 && pushed < 256 * 1024 * 1024) {
      for (let i = 0; i < 200; i++) s.push(event(++seq)), (pushed += 400)
      await turn()
    }
    expect(s.followers.size, 'the stream stopped following: nothing more is kept for it').toBe(0)
    s.res.resume()
    await s.until(s.ended)
    const last = s.text().split('\n\n').filter(Boolean).at(-1)!
    expect(last).toMatch(/^event: dropped\ndata: /)
    expect(JSON.parse(last.split('data: ')[1])).toEqual({error: {code: 'SLOW_READER', message: expect.stringContaining(`fell more than ${MAX_STREAM_BUFFER} bytes behind`)}})
    // every event before the drop came once, in order
    const seqs = s.text().match(/"seq":\d+/g)!.map((m) => Number(m.slice(6)))
    expect(seqs).toEqual(seqs.map((_, i) => i + 1))
  })

  it('sends each event once: the live events that came during the history, and repeats after it, are not sent twice', async () => {
    let history!: (events: Envelope[]) => void
    const s = await start(() => new Promise((resolve) => (history = resolve)))
    await s.until(() => s.followers.size > 0 && history !== undefined)
    for (const seq of [4, 5, 6]) s.push(event(seq)) // while the history is read: 4 and 5 are in it too
    history([1, 2, 3, 4, 5].map(event))
    await s.until(() => s.text().includes('event: caught-up'))
    for (const seq of [6, 5, 7, 7]) s.push(event(seq)) // a relay's repeats after a reconnect
    await s.until(() => s.text().includes('"seq":7'))
    s.res.destroy()
    const seqs = s.text().match(/"seq":\d+/g)!.map((m) => Number(m.slice(6)))
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7])
  })
})

describe('gdmarket events --follow, dropped by the gateway', () => {
  it('ends with what the last event says, not with "lost the connection"', async () => {
    const server = http.createServer((_req, res) => {
      res.writeHead(200, {'Content-Type': 'text/event-stream'})
      res.write(`event: event\ndata: ${JSON.stringify(event(1))}\n\n`)
      res.end(`event: dropped\ndata: ${JSON.stringify({error: {code: 'SLOW_READER', message: 'fell behind'}})}\n\n`)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const client = new GatewayClient({host: '127.0.0.1', port: (server.address() as {port: number}).port}, 5000)
      const seen: number[] = []
      const ended = await followAsCli(client, {}, {event: (e) => seen.push(e.seq), leftOut: () => {}, caughtUp: () => {}}, new AbortController().signal)
      expect(ended).toEqual({end: 'dropped', message: 'fell behind'})
      expect(seen).toEqual([1])
    } finally {
      server.close()
    }
  })
})
