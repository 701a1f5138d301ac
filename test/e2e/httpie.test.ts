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
 * The original system's README session, its eight HTTPie lines exactly as written there (its
 * gateway was localhost:8080; `PORT` is this stack's). Reference input: never edited to pass.
 */
export const originalLines = `
http POST :PORT/items itemName=Camera itemPrice=100 itemStatus=Rentable rentalStatus=NotRenting
http POST :PORT/reservations customerName=YoungEunSong customerId=1 itemNo=1 itemName=Camera itemPrice=100 paymentStatus=NotPaid rentalStatus=NotRenting
http PATCH :PORT/reservations/1 paymentStatus=Paid
http :PORT/payments
http PATCH :PORT/items/1 itemNo=1 reservationNo=1 itemStatus=NotRentable rentalStatus=Renting
http :PORT/reservations/1
http PATCH :PORT/items/1 itemNo=1 reservationNo=1 itemStatus=Rentable rentalStatus=Returned
http :PORT/itemInfoes
`
  .trim()
  .split('\n')

/** What each of the eight answers must be: its status and the fields the original showed. */
const expected = [
  [201, {itemNo: 1, itemName: 'Camera', itemPrice: 100, itemStatus: 'Rentable', rentalStatus: 'NotRenting'}],
  [201, {reservationNo: 1, itemNo: 1, customerName: 'YoungEunSong', customerId: '1', paymentStatus: 'NotPaid', reservationStatus: 'Reserved'}],
  [200, {reservationNo: 1, paymentStatus: 'Paid'}],
  [200, {_embedded: {payments: [{paymentNo: 1, reservationNo: 1, itemNo: 1, amount: 100, paymentStatus: 'Paid'}]}}],
  [200, {itemNo: 1, itemStatus: 'NotRentable', rentalStatus: 'Renting', reservationNo: 1}],
  [200, {reservationStatus: 'Reserved', paymentStatus: 'Paid', rentalStatus: 'Renting'}],
  [200, {itemNo: 1, itemStatus: 'Rentable', rentalStatus: 'Returned'}],
  [200, {_embedded: {itemInfoes: [{itemNo: 1, itemName: 'Camera', itemStatus: 'Rentable', rentalStatus: 'Returned', reservationNo: null}]}}],
] as const

/** One HTTPie command line (without its `http`): its status line and its JSON body. */
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

  it('runs the eight lines as the original wrote them: each answer has the status and fields the original showed', async () => {
    const port = (await stack.json(['status'])).gateway.httpPort
    for (const [i, line] of originalLines.entries()) {
      const answer = await http(line.replace(/^http /, '').replace(':PORT', `:${port}`))
      expect(answer.status, line).toBe(expected[i][0])
      expect(answer.body, line).toMatchObject(expected[i][1])
    }
    expect((await stack.json(['status'])).gateway).toMatchObject({auth: 'none'})
    expect((await stack.cli('status')).stdout).toContain('WARNING: the TCP port is open to every local user')
  })

  it('still refuses a claim that contradicts the facts (409), and changes nothing', async () => {
    const host = `127.0.0.1:${(await stack.json(['status'])).gateway.httpPort}`
    const {itemNo} = (await http(`POST ${host}/items itemName=Lamp itemPrice=20`)).body as {itemNo: number}
    expect(await http(`POST ${host}/reservations itemNo=${itemNo} customerName=Kim itemPrice=5`)).toMatchObject({status: 409, body: {error: {code: 'CONTRADICTS_FACTS'}}})
    const {reservationNo} = (await http(`POST ${host}/reservations itemNo=${itemNo} customerName=Kim`)).body as {reservationNo: number}
    expect(reservationNo).toBe(2) // the refused one took no number
    await http(`PATCH ${host}/reservations/${reservationNo} paymentStatus=Paid`)
    // a lend that claims the item stays Rentable, a return that claims it stays NotRentable
    expect(await http(`PATCH ${host}/items/${itemNo} rentalStatus=Renting itemStatus=Rentable`)).toMatchObject({status: 409})
    expect((await http(`GET ${host}/items/${itemNo}`)).body).toMatchObject({rentalStatus: 'NotRenting'})
    await http(`PATCH ${host}/items/${itemNo} rentalStatus=Renting`)
    expect(await http(`PATCH ${host}/items/${itemNo} rentalStatus=Returned itemStatus=NotRentable`)).toMatchObject({status: 409, body: {error: {code: 'CONTRADICTS_FACTS', message: expect.stringContaining('itemStatus')}}})
    expect(await http(`PATCH ${host}/items/${itemNo} rentalStatus=Returned reservationNo=1`)).toMatchObject({status: 409})
    expect((await http(`GET ${host}/items/${itemNo}`)).body).toMatchObject({rentalStatus: 'Renting', reservationNo})
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
