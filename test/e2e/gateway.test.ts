import {readFileSync, statSync} from 'node:fs'
import http from 'node:http'
import path from 'node:path'

import {createConfig, lintFromString} from '@redocly/openapi-core'
import {Validator} from '@seriousme/openapi-schema-validator'
import {Ajv2020} from 'ajv/dist/2020.js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {eventually, isGone, startStack, type Stack} from './stack.js'

/**
 * The HTTP gateway as an outside client sees it: the original system's REST paths on TCP
 * 127.0.0.1, checked against its own /openapi.json, and the CLI's door (the Unix socket).
 */
let stack: Stack
let base: string
/** the stack's bearer token: the TCP port wants it */
let auth: Record<string, string>
beforeAll(async () => {
  stack = await startStack()
  base = `http://127.0.0.1:${(await stack.json(['status'])).gateway.httpPort}`
  auth = {Authorization: `Bearer ${(await stack.json(['token'])).token}`}
})
afterAll(async () => {
  await stack?.stop()
})

interface Answer {
  status: number
  headers: Headers
  body: any
}

async function send(method: string, route: string, body?: unknown, headers: Record<string, string> = auth): Promise<Answer> {
  const res = await fetch(base + route, {
    method,
    headers: body === undefined ? headers : {'Content-Type': 'application/json', ...headers},
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  const json = res.headers.get('content-type')?.startsWith('application/json')
  return {status: res.status, headers: res.headers, body: text && json ? JSON.parse(text) : text || undefined}
}

describe('the TCP port wants the stack\'s token', () => {
  it('answers 401 without it or with a wrong one, and changes nothing; the probes need none', async () => {
    for (const headers of [{}, {Authorization: 'Bearer guess'}, {Authorization: auth.Authorization.replace('Bearer', 'Basic')}]) {
      const answer = await send('POST', '/items', {itemName: 'Sneaky', itemPrice: 1}, headers)
      // the token comes from the CLI alone: the next step says so as data
      expect(answer).toMatchObject({status: 401, body: {error: {message: expect.stringContaining('token'), next: {command: 'token'}}}})
    }
    expect((await send('GET', '/items')).body._embedded.items.map((i: {itemName: string}) => i.itemName)).not.toContain('Sneaky')
    expect(await send('GET', '/healthz', undefined, {})).toMatchObject({status: 200})
    expect((await stack.json(['status'])).gateway).toMatchObject({auth: 'token'})
  })

  it('tells no token from a token that is not this stack\'s (an earlier `up`\'s): the token changes at every up (issue 21, item 4)', async () => {
    const none = await send('GET', '/items', undefined, {})
    expect(none).toMatchObject({status: 401, body: {error: {code: 'UNAUTHORIZED', message: "the gateway's TCP port wants the stack's token: send `Authorization: Bearer TOKEN`", next: {command: 'token'}}}})
    expect(none.headers.get('www-authenticate')).toBe('Bearer')
    const basic = await send('GET', '/items', undefined, {Authorization: auth.Authorization.replace('Bearer', 'Basic')})
    expect(basic).toMatchObject({status: 401, body: {error: {code: 'UNAUTHORIZED', message: expect.stringContaining('`Authorization: Bearer TOKEN`, not in another scheme')}}})
    const stale = await send('GET', '/items', undefined, {Authorization: 'Bearer a-token-of-an-earlier-up'})
    expect(stale).toMatchObject({
      status: 401,
      body: {error: {code: 'INVALID_TOKEN', message: "that token is not this stack's: a new one is made each time the stack starts; send the current one", next: {command: 'token'}}},
    })
    // RFC 6750, section 3: the error code only when a token was sent
    expect(stale.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
  })
})

describe('REST on the original paths', () => {
  it('runs a rental: 201 on creation, Spring Data REST collections, the view by itemNo', async () => {
    const item = await send('POST', '/items', {itemName: 'Camera', itemPrice: 100})
    expect(item).toMatchObject({status: 201, body: {itemName: 'Camera', itemPrice: 100, itemStatus: 'Rentable', rentalStatus: 'NotRenting', reservationNo: null}})
    const {itemNo} = item.body
    const reservation = await send('POST', '/reservations', {itemNo, customerName: 'Young'})
    expect(reservation).toMatchObject({status: 201, body: {itemNo, customerName: 'Young', customerId: 'Young', paymentStatus: 'NotPaid'}})
    const {reservationNo} = reservation.body
    const paid = await send('PATCH', `/reservations/${reservationNo}`, {paymentStatus: 'Paid'})
    expect(paid).toMatchObject({status: 200, body: {reservationNo, paymentStatus: 'Paid', payment: {reservationNo, amount: 100, paymentStatus: 'Paid'}}})
    // read-your-writes: the lend right after the payment sees it, the view right after the lend too
    expect(await send('PATCH', `/items/${itemNo}`, {rentalStatus: 'Renting'})).toMatchObject({status: 200, body: {rentalStatus: 'Renting'}})
    expect(await send('GET', `/itemInfoes/${itemNo}`)).toMatchObject({status: 200, body: {itemNo, rentalStatus: 'Renting', paymentStatus: 'Paid'}})
    expect((await send('GET', '/payments')).body._embedded.payments).toContainEqual(paid.body.payment)
    expect((await send('GET', '/items')).body._embedded.items.map((i: {itemNo: number}) => i.itemNo)).toContain(itemNo)
  })

  it('takes HTTPie\'s strings for numbers, checks the claims a client sends, and names the one that contradicts the facts (409)', async () => {
    const item = await send('POST', '/items', {itemName: 'Lens', itemPrice: '40', itemStatus: 'Rentable', rentalStatus: 'NotRenting'})
    expect(item).toMatchObject({status: 201, body: {itemPrice: 40}})
    const lie = await send('POST', '/reservations', {itemNo: String(item.body.itemNo), customerName: 'Kim', itemName: 'Lens', itemPrice: '1'})
    expect(lie.status).toBe(409)
    expect(lie.body.error).toMatchObject({code: 'CONTRADICTS_FACTS', message: expect.stringContaining('itemPrice is 40')})
    expect((await send('GET', `/itemInfoes/${item.body.itemNo}`)).body).toMatchObject({itemStatus: 'Rentable', reservationNo: null}) // nothing changed
    const truth = await send('POST', '/reservations', {itemNo: String(item.body.itemNo), customerName: 'Kim', itemName: 'Lens', itemPrice: '40', paymentStatus: 'NotPaid'})
    expect(truth.status).toBe(201)
    const early = await send('PATCH', `/items/${item.body.itemNo}`, {rentalStatus: 'Renting', itemStatus: 'Rentable'})
    expect(early).toMatchObject({status: 409, body: {error: {code: 'CONTRADICTS_FACTS'}}})
    expect(early.body.error.message).toMatch(/^itemStatus is "NotRentable"/)
  })

  it('maps exit codes to statuses: 400 with the field, 404, 409, 405, 413, and 503 with Retry-After for a stopped service', async () => {
    expect(await send('POST', '/items', {itemName: 'X', itemPrice: 'ten'})).toMatchObject({status: 400, body: {error: {code: 'BAD_INPUT', message: expect.stringContaining('itemPrice')}}})
    expect(await send('POST', '/items', {itemName: 'X', itemPrice: 1, colour: 'red'})).toMatchObject({status: 400, body: {error: {message: expect.stringContaining('"colour"')}}})
    expect(await send('POST', '/items', '{"itemName": ')).toMatchObject({status: 400, body: {error: {code: 'BAD_JSON'}}})
    expect(await send('GET', '/items/0')).toMatchObject({status: 400})
    expect(await send('GET', '/items/424242')).toMatchObject({status: 404, body: {error: {code: 'ITEM_NOT_FOUND'}}})
    expect(await send('GET', '/nowhere')).toMatchObject({status: 404, body: {error: {code: 'NO_ROUTE'}}})
    expect(await send('PUT', '/items')).toMatchObject({status: 405})
    expect(await send('POST', '/items', {itemName: 'x'.repeat(70_000), itemPrice: 1})).toMatchObject({status: 413, body: {error: {code: 'TOO_LARGE'}}})
    const {itemNo} = (await send('POST', '/items', {itemName: 'Tent', itemPrice: 30})).body
    expect(await send('PATCH', `/items/${itemNo}`, {rentalStatus: 'Renting'})).toMatchObject({
      status: 409,
      body: {error: {code: 'NOT_RESERVED', next: {command: 'reservation.reserve', itemNo}, nextRequest: {method: 'POST', path: '/reservations', body: {itemNo}}}},
    })

    await stack.json(['service', 'stop', 'payment'])
    try {
      const down = await send('GET', '/payments')
      // the next step as data, and as the HTTP request that takes it: no command line for an HTTP client
      expect(down).toMatchObject({
        status: 503,
        body: {
          error: {
            code: 'SERVICE_DOWN',
            message: 'the payment service is stopped; start it',
            next: {command: 'service.start', service: 'payment'},
            nextRequest: {method: 'POST', path: '/stack/services/payment/start'},
          },
        },
      })
      expect(down.headers.get('retry-after')).toBe('1')
      expect(await send('GET', '/readyz')).toMatchObject({status: 503, body: {notReady: [{name: 'payment', state: 'stopped'}]}})
      expect(await send('GET', '/healthz')).toMatchObject({status: 200, body: {status: 'UP'}})
      // the other services go on (fault isolation)
      expect((await send('POST', '/reservations', {itemNo, customerName: 'Ann'})).status).toBe(201)
    } finally {
      await stack.json(['service', 'start', 'payment'])
    }
    expect(await send('GET', '/readyz')).toMatchObject({status: 200, body: {status: 'UP'}})
  })

  it('refuses query parameters a route does not take (400), naming the ones it takes, as unknown body fields (issue 21, item 4)', async () => {
    expect(await send('GET', '/items?itemName=Camera')).toMatchObject({
      status: 400,
      body: {error: {code: 'BAD_INPUT', message: 'unknown query parameter "itemName" for GET /items: it takes none (see /openapi.json)'}},
    })
    expect(await send('GET', '/events?limit=1&sort=desc&page=2')).toMatchObject({
      status: 400,
      body: {error: {message: 'unknown query parameter "sort", "page" for GET /events: it takes type, source, correlationId, limit, follow (see /openapi.json)'}},
    })
    expect(await send('POST', '/items?dryRun=true', {itemName: 'Ghost', itemPrice: 1})).toMatchObject({status: 400, body: {error: {message: expect.stringContaining('"dryRun"')}}})
    expect((await send('GET', '/items')).body._embedded.items.map((i: {itemName: string}) => i.itemName)).not.toContain('Ghost')
    expect(await send('DELETE', '/items/424242?forse=true')).toMatchObject({status: 400, body: {error: {message: expect.stringContaining('it takes force')}}})
    expect(await send('GET', '/events?limit=1')).toMatchObject({status: 200})
  })

  it('refuses names that are not printable text of at most 200 characters, and deadlines outside 100 ms–60 s (400)', async () => {
    expect(await send('POST', '/items', {itemName: 'Evil\u001b[31mRED', itemPrice: 1})).toMatchObject({status: 400, body: {error: {message: expect.stringContaining('is a control character')}}})
    expect(await send('POST', '/items', {itemName: 'x'.repeat(201), itemPrice: 1})).toMatchObject({status: 400, body: {error: {message: expect.stringContaining('at most 200 characters')}}})
    for (const itemName of ['gpj.\u202eexe', 'zero\u200bwidth', 'lone \ud800']) {
      expect(await send('POST', '/items', {itemName, itemPrice: 1}), JSON.stringify(itemName)).toMatchObject({status: 400, body: {error: {message: expect.stringContaining('must be printable text')}}})
    }
    for (const itemPrice of [1e15, 1e308, '1000000000000000']) {
      expect(await send('POST', '/items', {itemName: 'Gold', itemPrice}), String(itemPrice)).toMatchObject({status: 400, body: {error: {message: expect.stringContaining('must be a whole number from 1 to 999999999999999')}}})
    }
    const {itemNo} = (await send('POST', '/items', {itemName: 'Canoe', itemPrice: 60})).body
    expect(await send('POST', '/reservations', {itemNo, customerName: 'Line\nbreak'})).toMatchObject({status: 400})
    const {reservationNo} = (await send('POST', '/reservations', {itemNo, customerName: 'Kai'})).body
    for (const paymentTimeoutMs of [1, 3_000_000_000]) {
      expect(await send('PATCH', `/reservations/${reservationNo}`, {paymentStatus: 'Paid', paymentTimeoutMs})).toMatchObject({status: 400})
    }
  })

  it('judges names by Unicode class through the gateway and the CLI alike, and refuses a body that is not UTF-8 (issue 16, point 4)', async () => {
    const names: [string, string][] = [
      ['Lamp\u{e0041}', 'U+E0041 at character 5 is a tag character'],
      ['\u3164', 'U+3164 at character 1 is a filler that shows as blank'],
      ['Lamp\u2028', 'U+2028 at character 5 is a line or paragraph separator'],
      ['a' + '\u0301'.repeat(199), 'more than 4 combining marks in a row'],
    ]
    for (const [itemName, why] of names) {
      const answer = await send('POST', '/items', {itemName, itemPrice: 1})
      expect(answer, JSON.stringify(itemName)).toMatchObject({status: 400, body: {error: {code: 'BAD_INPUT', message: expect.stringContaining(`itemName: must be printable text: ${why}`)}}})
      const cli = await stack.cli('item', 'register', '--name', itemName, '--price', '1')
      expect(cli.code, cli.stderr).toBe(2)
      expect(cli.stderr).toContain(`must be printable text: ${why}`)
    }
    // the customer's name too, and an emoji family with its joiners still goes in
    const {itemNo} = (await send('POST', '/items', {itemName: 'Tent 👨\u200d👩\u200d👧', itemPrice: 30})).body
    expect(await send('POST', '/reservations', {itemNo, customerName: 'Kim\u3164'})).toMatchObject({status: 400, body: {error: {message: expect.stringContaining('customerName: must be printable text')}}})
    expect((await stack.json(['item', 'show', String(itemNo)])).itemName).toBe('Tent 👨\u200d👩\u200d👧')

    // "café" in Latin-1: the é is one byte 0xE9, not UTF-8; it used to be stored as U+FFFD
    const latin1 = Buffer.concat([Buffer.from('{"itemName": "caf'), Buffer.from([0xe9]), Buffer.from('", "itemPrice": 1}')])
    const res = await fetch(`${base}/items`, {method: 'POST', headers: {...auth, 'Content-Type': 'application/json'}, body: latin1})
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({error: {code: 'BAD_ENCODING', message: 'the request body is not valid UTF-8; send JSON in UTF-8 (RFC 8259)'}})
    const stored = (await send('GET', '/items')).body._embedded.items.map((i: {itemName: string}) => i.itemName)
    expect(stored.filter((name: string) => name.startsWith('caf') || name.startsWith('Lamp'))).toEqual([])
  })

  it('answers whatever a client sends with the JSON error format and stays up: bad URLs, escapes, HEAD, huge headers', async () => {
    const {connect} = await import('node:net')
    const raw = (request: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect(Number(new URL(base).port), '127.0.0.1', () => socket.end(request))
        let text = ''
        socket.on('data', (d) => (text += d))
        socket.on('end', () => resolve(text))
        socket.on('error', reject)
      })
    const broken = await raw('GET //x:y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    expect(broken).toMatch(/^HTTP\/1.1 400/)
    expect(broken).toContain('"error"')
    expect(await send('GET', '/items/%zz')).toMatchObject({status: 400, body: {error: {message: expect.stringContaining('percent-escape')}}})
    const head = await fetch(`${base}/healthz`, {method: 'HEAD'})
    expect(head.status).toBe(200)
    const big = await fetch(`${base}/healthz`, {headers: {'X-Big': 'x'.repeat(20_000)}})
    expect(big.status).toBe(431)
    expect(await big.json()).toMatchObject({error: {code: 'HEADERS_TOO_LARGE', message: expect.stringContaining('16 KiB')}})
    expect(await send('PATCH', '/items/1', {rentalStatus: 'Lost'})).toMatchObject({status: 400, body: {error: {message: expect.stringContaining('must be one of: Renting, Returned')}}})
    expect(await send('GET', '/healthz')).toMatchObject({status: 200, body: {status: 'UP'}}) // still up
  })

  it('keeps at most 16 event streams open at once (503 TOO_MANY_STREAMS), and takes a new one when one closes', async () => {
    const open = await Promise.all(Array.from({length: 16}, () => fetch(`${base}/events?follow=true&limit=1`, {headers: auth})))
    try {
      expect(open.map((r) => r.status)).toEqual(Array(16).fill(200))
      expect(await send('GET', '/events?follow=true')).toMatchObject({status: 503, body: {error: {code: 'TOO_MANY_STREAMS'}}})
      expect((await send('GET', '/events?limit=1')).status).toBe(200) // the history alone still answers
      await open.pop()!.body!.cancel()
      await eventually(async () => {
        const again = await fetch(`${base}/events?follow=true&limit=1`, {headers: auth})
        expect(again.status).toBe(200)
        open.push(again)
      })
    } finally {
      await Promise.all(open.map((r) => r.body?.cancel().catch(() => {})))
    }
  })

  it('streams new events to GET /events?follow=true as server-sent events, after the history', async () => {
    const lines: string[] = []
    // the streams the test before closed are let go of as the gateway notices them: a busy machine may not have yet
    const res = await eventually(async () => {
      const opened = await fetch(`${base}/events?follow=true&type=ItemRegistered`, {headers: auth})
      if (opened.status === 503) await opened.body?.cancel()
      expect(opened.status).toBe(200)
      return opened
    })
    expect(res.headers.get('content-type')).toBe('text/event-stream')
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
    const reading = (async () => {
      for (;;) {
        const {value, done} = await reader.read()
        if (done) return
        lines.push(...value.split('\n'))
      }
    })()
    await eventually(() => expect(lines).toContain('event: caught-up'))
    const {itemNo} = (await send('POST', '/items', {itemName: 'Kayak', itemPrice: 70})).body
    await eventually(() => expect(lines.some((l) => l.startsWith('data: ') && l.includes(`"itemNo":${itemNo}`) && l.includes('"Kayak"'))).toBe(true))
    await reader.cancel()
    await reading.catch(() => {})
  })

  it('answers a list bigger than any request may be (a view of many items over 256 KiB)', async () => {
    const name = (i: number) => `Item ${i} `.padEnd(200, 'x')
    const registered = async (from: number) => {
      for (let i = from; i < 700; i += 8) expect((await send('POST', '/items', {itemName: name(i), itemPrice: 1})).status).toBe(201)
    }
    await Promise.all(Array.from({length: 8}, (_, k) => registered(k)))
    const view = await send('GET', '/itemInfoes')
    expect(view.status).toBe(200)
    expect(JSON.stringify(view.body).length).toBeGreaterThan(256 * 1024)
    expect(view.body._embedded.itemInfoes.filter((r: {itemName: string}) => r.itemName.startsWith('Item ')).length).toBe(700)
  })

  it('listens on a Unix socket only its owner can open (mode 0600), the door the CLI uses', async () => {
    const socket = path.join(stack.dataDir, 'run', 'gateway.sock')
    expect(statSync(socket).mode & 0o777).toBe(0o600)
    const status = await new Promise<number>((resolve, reject) =>
      http.get({socketPath: socket, path: '/healthz'}, (res) => (res.resume(), resolve(res.statusCode!))).on('error', reject),
    )
    expect(status).toBe(200)
  })
})

describe('probes, metrics and traces (issue 18, part 4)', () => {
  it('/readyz wants every service online and caught up: a frozen view is online but behind (503), ready again once it runs', async () => {
    const view = (await stack.json(['status'])).processes.find((p: {name: string}) => p.name === 'view')
    process.kill(view.pid, 'SIGSTOP')
    try {
      expect((await send('POST', '/items', {itemName: 'Kite', itemPrice: 3})).status).toBe(201) // the frontier moves past the view
      const answer = await send('GET', '/readyz')
      expect(answer).toMatchObject({status: 503, body: {error: {code: 'NOT_READY'}, notReady: [{name: 'view', state: 'online', caughtUp: false}]}})
      expect(answer.body.error.message).toMatch(/^not ready: view \(online, (catching up with item|not answering)\)$/)
      expect(answer.headers.get('retry-after')).toBe('1')
    } finally {
      process.kill(view.pid, 'SIGCONT')
    }
    await eventually(async () => expect(await send('GET', '/readyz')).toMatchObject({status: 200, body: {status: 'UP'}}))
  })

  it('service check NAME: exit 0 when online and caught up; exit 5 and one line when not; --alive asks only that it runs', async () => {
    expect(await stack.cli('service', 'check', 'reservation')).toMatchObject({code: 0, stdout: expect.stringMatching(/^reservation \(pid \d+\) is online and caught up\n$/)})
    expect((await stack.cli('service', 'check', 'view', '--alive')).code).toBe(0)
    await stack.json(['service', 'stop', 'view'])
    try {
      const stopped = await stack.cli('service', 'check', 'view')
      expect(stopped).toMatchObject({code: 5, stdout: ''})
      expect(stopped.stderr).toMatch(/^gdmarket: the view service is not running with this data dir on this host \(no run\/view\.health\.json: not started yet, or stopped\)\n$/)
      expect((await stack.cli('service', 'check', 'view', '--alive')).code).toBe(5)
    } finally {
      await stack.json(['service', 'start', 'view'])
    }
    expect(await stack.cli('service', 'check', 'nothing')).toMatchObject({code: 2, stderr: expect.stringContaining('"nothing" is not one of: item, reservation, payment, view')})
  })

  it("/metrics answers Prometheus' text format without a token: requests by route and status with latency, broker messages, events applied, dead letters, breakers, restarts", async () => {
    const {itemNo} = (await send('POST', '/items', {itemName: 'Sled', itemPrice: 8})).body
    await send('GET', '/items/999999')
    const view = (await stack.json(['status'])).processes.find((p: {name: string}) => p.name === 'view')
    process.kill(view.pid, 'SIGKILL')
    const metrics = await eventually(async () => {
      const answer = await send('GET', '/metrics', undefined, {})
      expect(answer.body).toMatch(/^gdmarket_process_restarts_total\{process="view"\} 1$/m)
      expect(answer.body).toMatch(/^gdmarket_service_health_answered\{service="view"\} 1$/m)
      return answer
    }, {timeoutMs: 20_000})
    expect(metrics.status).toBe(200)
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain/)
    const text: string = metrics.body
    // every sample is `name{labels} value`, every family has its HELP and TYPE
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^[a-zA-Z_:][\w:]*(\{([a-zA-Z_]\w*="([^"\\]|\\.)*",?)*\})? (-?[\d.e+-]+|NaN|[+-]Inf)$/)
    expect(text).toMatch(/^gdmarket_http_requests_total\{method="POST",route="\/items",status="201"\} \d+$/m)
    expect(text).toMatch(/^gdmarket_http_requests_total\{method="GET",route="\/items\/\{itemNo\}",status="404"\} [1-9]\d*$/m)
    expect(text).toMatch(/^gdmarket_http_request_duration_seconds_bucket\{le="\+Inf",method="POST",route="\/items",status="201"\} \d+$/m)
    expect(text).toMatch(/^# TYPE gdmarket_http_request_duration_seconds histogram$/m)
    expect(text).toMatch(/^gdmarket_broker_messages_total\{kind="event"\} [1-9]\d*$/m)
    const produced = Number(/^gdmarket_events_produced_total\{service="item"\} (\d+)$/m.exec(text)?.[1])
    expect(produced).toBeGreaterThanOrEqual(itemNo) // one ItemRegistered an item at least
    expect(text).toMatch(/^gdmarket_events_applied_total\{service="view",source="item"\} [1-9]\d*$/m)
    expect(text).toMatch(/^gdmarket_dead_letters_total\{service="reservation"\} 0$/m)
    expect(text).toMatch(/^gdmarket_breaker_state\{service="reservation",breaker="payment",state="closed"\} 1$/m)
    expect(text).toMatch(/^process_cpu_seconds_total \d/m)
  })

  it("makes a request's traceparent the rental's correlation, its own span the causation of the events, and answers with traceparent", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736'
    const header = {...auth, traceparent: `00-${traceId}-00f067aa0ba902b7-01`}
    const {itemNo} = (await send('POST', '/items', {itemName: 'Canoe', itemPrice: 40})).body
    const reserved = await send('POST', '/reservations', {itemNo, customerName: 'Tao'}, header)
    expect(reserved.body.correlationId).toBe('4bf92f35-77b3-4da6-a3ce-929d0e0e4736')
    const [, answeredTrace, span, flags] = reserved.headers.get('traceparent')!.split('-')
    expect([answeredTrace, flags]).toEqual([traceId, '01'])
    expect(span).toMatch(/^[0-9a-f]{16}$/)
    const paid = await send('PATCH', `/reservations/${reserved.body.reservationNo}`, {paymentStatus: 'Paid'})
    const paySpan = paid.headers.get('traceparent')!.split('-')[2]
    // a later request of the rental is a trace of its own; its events stay in the rental's correlation, caused by its span
    const events = (await send('GET', `/events?correlationId=${reserved.body.correlationId}`)).body._embedded.events
    expect(events.map((e: {type: string; causationId: string}) => [e.type, e.causationId])).toEqual([
      ['Reserved', span],
      ['PaymentApproved', expect.any(String)],
    ])
    expect(events.find((e: {type: string}) => e.type === 'PaymentApproved').causationId).not.toBe(paySpan) // payment was asked by reservation, not the gateway
    // without a traceparent: a new trace, whose id is the new rental's UUIDv7 correlation id
    const {itemNo: other} = (await send('POST', '/items', {itemName: 'Oar', itemPrice: 4})).body
    const plain = await send('POST', '/reservations', {itemNo: other, customerName: 'Tao'})
    expect(plain.body.correlationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(plain.headers.get('traceparent')).toMatch(new RegExp(`^00-${plain.body.correlationId.replaceAll('-', '')}-[0-9a-f]{16}-01$`))
  })
})

describe('/openapi.json', () => {
  it('declares the bearer token (the probes need none) and a license, and passes Redocly\'s recommended rules with no problem at all (issue 21, item 12)', async () => {
    const doc = (await send('GET', '/openapi.json')).body
    // every rule of `recommended` is on, warnings too: none is turned off
    const problems = await lintFromString({source: JSON.stringify(doc), absoluteRef: 'openapi.json', config: await createConfig({extends: ['recommended']})})
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} (${p.location[0]?.pointer})`)).toEqual([])

    expect(doc.components.securitySchemes).toEqual({bearerToken: expect.objectContaining({type: 'http', scheme: 'bearer'})})
    expect(doc.security).toEqual([{bearerToken: []}])
    const operations = Object.entries(doc.paths).flatMap(([route, ops]) => Object.entries(ops as Record<string, any>).map(([method, op]) => ({route, method, op})))
    expect(operations.filter(({op}) => op.security !== undefined).map(({route}) => route).sort()).toEqual(['/healthz', '/metrics', '/readyz'])
    for (const {route, method, op} of operations) {
      if (op.security) expect(op.security, `${method} ${route} needs no token`).toEqual([])
      else expect(op.responses['401'], `${method} ${route} documents its 401`).toBeDefined()
    }
    // what the document says is what the gateway does: a probe without a token, any other route not
    expect((await send('GET', '/readyz', undefined, {})).status).not.toBe(401)
    expect((await send('GET', '/openapi.json', undefined, {})).status).toBe(401)
    const {license} = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
    expect(doc.info.license).toEqual({name: license, identifier: license})
  })

  it('is a valid OpenAPI 3.1 document, and every route answers as it says', async () => {
    const doc = (await send('GET', '/openapi.json')).body
    const validation = await new Validator().validate(doc)
    expect(validation.errors ?? []).toEqual([])
    expect(validation.valid).toBe(true)
    expect(doc.openapi).toBe('3.1.0')

    const ajv = new Ajv2020({strict: false})
    const seen = new Set<string>()
    const check = async (method: string, concrete: string, route: string, body?: unknown) => {
      const answer = await send(method, concrete, body)
      const operation = doc.paths[route]?.[method.toLowerCase()]
      expect(operation, `${method} ${route} is documented`).toBeDefined()
      const response = operation.responses[String(answer.status)]
      expect(response, `${method} ${concrete} answered ${answer.status}, which the document lists`).toBeDefined()
      if (response.content['text/plain']) return void (expect(typeof answer.body).toBe('string'), seen.add(`${method} ${route}`))
      const schema = response.content['application/json'].schema
      const valid = ajv.validate(schema, answer.body)
      expect(valid, `${method} ${concrete} → ${answer.status}: ${ajv.errorsText()} in ${JSON.stringify(answer.body).slice(0, 300)}`).toBe(true)
      seen.add(`${method} ${route}`)
      return answer.body
    }

    const item = await check('POST', '/items', '/items', {itemName: 'Drone', itemPrice: 200})
    await check('GET', '/items', '/items')
    await check('GET', `/items/${item.itemNo}`, '/items/{itemNo}')
    await check('GET', '/items/999999', '/items/{itemNo}')
    await check('GET', `/items/${item.itemNo}/calendar`, '/items/{itemNo}/calendar')
    const r = await check('POST', '/reservations', '/reservations', {itemNo: item.itemNo, customerName: 'Lee'})
    await check('GET', '/reservations', '/reservations')
    await check('GET', `/reservations/${r.reservationNo}`, '/reservations/{reservationNo}')
    await check('PATCH', `/reservations/${r.reservationNo}`, '/reservations/{reservationNo}', {paymentStatus: 'Paid'})
    const {paymentNo} = (await send('GET', '/payments')).body._embedded.payments.find((p: {reservationNo: number}) => p.reservationNo === r.reservationNo)
    await check('GET', '/payments', '/payments')
    await check('GET', `/payments/${paymentNo}`, '/payments/{paymentNo}')
    await check('PATCH', `/items/${item.itemNo}`, '/items/{itemNo}', {rentalStatus: 'Renting'})
    await check('PATCH', `/items/${item.itemNo}`, '/items/{itemNo}', {rentalStatus: 'Returned'})
    await check('GET', '/itemInfoes', '/itemInfoes')
    await check('GET', `/itemInfoes/${item.itemNo}`, '/itemInfoes/{itemNo}')
    await check('DELETE', `/items/${item.itemNo}`, '/items/{itemNo}')
    const other = await check('POST', '/items', '/items', {itemName: 'Boat', itemPrice: 90})
    const r2 = await check('POST', '/reservations', '/reservations', {itemNo: other.itemNo, customerName: 'Lee'})
    await check('DELETE', `/reservations/${r2.reservationNo}`, '/reservations/{reservationNo}')
    await check('GET', '/events?limit=5', '/events')
    await check('GET', '/healthz', '/healthz')
    await check('GET', '/readyz', '/readyz')
    await check('GET', '/metrics', '/metrics')
    await check('GET', '/stack/status', '/stack/status')
    await check('POST', '/stack/services/view/restart', '/stack/services/{name}/{action}')
    expect((await check('PATCH', '/stack/services/view', '/stack/services/{name}', {replicas: 2})).map((p: {name: string}) => p.name)).toContain('view-2')
    expect(await check('POST', '/stack/stores/item/recover', '/stack/stores/{name}/recover')).toMatchObject({report: null}) // online: nothing to do
    await send('POST', '/stack/services/item/stop')
    const recovered = await check('POST', '/stack/stores/item/recover', '/stack/stores/{name}/recover')
    expect(recovered.report).toMatchObject({service: 'item', recovered: null, missing: null})
    await check('GET', '/openapi.json', '/openapi.json')

    const {pid} = await check('POST', '/stack/down', '/stack/down') // last: it ends the stack
    await eventually(() => expect(isGone(pid)).toBe(true), {timeoutMs: 30_000})

    const documented = Object.entries(doc.paths).flatMap(([route, ops]) => Object.keys(ops as object).map((m) => `${m.toUpperCase()} ${route}`))
    expect(documented.filter((op) => !seen.has(op))).toEqual([])
  })
})
