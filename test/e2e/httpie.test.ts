import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runProcess} from '../../src/childProcess.js'
import {startStack, type Stack} from './stack.js'

/** HTTPie from Debian (.ci/run installs it): a client nobody here wrote. Missing in CI is a failure, not a skip. */
const httpie = await runProcess('http', ['--version'], {env: process.env}).then(
  (result) => result.code === 0,
  () => false,
)
if (!httpie && process.env.CI) throw new Error('HTTPie (`http`) is not installed; .ci/run installs it with apt-get')

/**
 * The original system's README scenario, its HTTPie command lines as written there but for host
 * and port (its gateway was localhost:8080): each with the status and the fields it must show.
 */
export const originalSession = (host: string) =>
  [
    [`POST ${host}/items itemName=Camera itemPrice=100 itemStatus=Rentable rentalStatus=NotRenting`, 201, {itemNo: 1, itemName: 'Camera', itemPrice: 100, itemStatus: 'Rentable', rentalStatus: 'NotRenting'}],
    [`POST ${host}/reservations itemNo=1 customerName=Young itemName=Camera itemPrice=100 paymentStatus=NotPaid`, 201, {reservationNo: 1, itemNo: 1, customerName: 'Young', paymentStatus: 'NotPaid', reservationStatus: 'Reserved'}],
    [`PATCH ${host}/reservations/1 paymentStatus=Paid`, 200, {reservationNo: 1, paymentStatus: 'Paid'}],
    [`GET ${host}/payments`, 200, {_embedded: {payments: [{paymentNo: 1, reservationNo: 1, itemNo: 1, amount: 100, paymentStatus: 'Paid'}]}}],
    [`PATCH ${host}/items/1 rentalStatus=Renting itemNo=1 reservationNo=1 itemStatus=NotRentable`, 200, {itemNo: 1, rentalStatus: 'Renting'}],
    [`GET ${host}/items/1`, 200, {itemStatus: 'NotRentable', rentalStatus: 'Renting', reservationNo: 1}],
    [`PATCH ${host}/items/1 rentalStatus=Returned`, 200, {itemNo: 1, rentalStatus: 'Returned'}],
    [`GET ${host}/items/1`, 200, {itemStatus: 'Rentable', rentalStatus: 'Returned', reservationNo: null}],
    [`GET ${host}/reservations/1`, 200, {reservationStatus: 'Completed', paymentStatus: 'Paid', rentalStatus: 'Returned'}],
    [`GET ${host}/itemInfoes`, 200, {_embedded: {itemInfoes: [{itemNo: 1, itemName: 'Camera', itemStatus: 'Rentable', rentalStatus: 'Returned', reservationNo: null}]}}],
  ] as const

/** One HTTPie command line: its status line and its JSON body. */
async function http(line: string): Promise<{status: number; body: unknown}> {
  const {code, stdout, stderr} = await runProcess('http', ['--ignore-stdin', '--pretty=none', '--print=hb', ...line.split(' ')], {
    env: {PATH: process.env.PATH, HOME: process.env.HOME},
  })
  if (code !== 0) throw new Error(`http ${line} exited ${code}: ${stderr}`)
  const [head, ...rest] = stdout.split(/\r?\n\r?\n/)
  return {status: Number(/^HTTP\/[\d.]+ (\d{3})/.exec(head)?.[1]), body: JSON.parse(rest.join('\n\n'))}
}

describe.skipIf(!httpie)("the original system's HTTPie session, unchanged but for host and port", () => {
  let stack: Stack
  beforeAll(async () => {
    // its lines carry no token: the operator opens the TCP port on purpose (docs/http-api.md)
    stack = await startStack({config: {httpAuth: 0}})
  })
  afterAll(async () => {
    await stack?.stop()
  })

  it('registers, reserves, pays, lends and returns a Camera; each answer has the status and fields the original showed', async () => {
    const host = `127.0.0.1:${(await stack.json(['status'])).gateway.httpPort}`
    for (const [line, status, fields] of originalSession(host)) {
      const answer = await http(line)
      expect(answer.status, `http ${line}`).toBe(status)
      expect(answer.body, `http ${line}`).toMatchObject(fields)
    }
    expect((await stack.json(['status'])).gateway).toMatchObject({auth: 'none'})
    expect((await stack.cli('status')).stdout).toContain('WARNING: the TCP port is open to every local user')
  })
})

describe.skipIf(!httpie)('HTTPie with the stack\'s token', () => {
  let stack: Stack
  beforeAll(async () => {
    stack = await startStack()
  })
  afterAll(async () => {
    await stack?.stop()
  })

  it('gets in with `-A bearer -a TOKEN`, and gets 401 without', async () => {
    const host = `127.0.0.1:${(await stack.json(['status'])).gateway.httpPort}`
    const {token} = await stack.json(['token'])
    expect(token).toMatch(/^[0-9a-f]{48}$/)
    expect(await http(`-A bearer --auth=${token} POST ${host}/items itemName=Camera itemPrice=100`)).toMatchObject({status: 201, body: {itemNo: 1}})
    expect(await http(`POST ${host}/items itemName=Camera itemPrice=100`)).toMatchObject({status: 401, body: {error: {code: 'UNAUTHORIZED'}}})
  })
})
