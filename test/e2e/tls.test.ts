import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {runProcess} from '../../src/childProcess.js'
import {hasMosquitto, hasOpenssl, startMosquitto, type Mosquitto} from './mosquitto.js'
import {runCli, startStack, type Stack} from './stack.js'

/**
 * A stack on Mosquitto over TLS (`mqtts://`, docs/deploy.md#tls-mqtts): a throwaway CA signs the
 * listener's certificate for 127.0.0.1 and localhost; the stack given that CA runs a rental, one
 * given another CA, or plain `mqtt://` against the TLS listener, is refused on one line.
 */
const present = hasMosquitto('the TLS test') && hasOpenssl('the TLS test')

const certDir = mkdtempSync(path.join(tmpdir(), 'gdmarket-tls-'))
const file = (name: string) => path.join(certDir, name)
afterAll(() => rmSync(certDir, {recursive: true, force: true}))

async function openssl(...args: string[]): Promise<void> {
  const run = await runProcess('openssl', args, {env: {PATH: process.env.PATH}, cwd: certDir})
  if (run.code !== 0) throw new Error(`openssl ${args.join(' ')} exited ${run.code}: ${run.stderr}`)
}

/** A self-signed CA: NAME.pem and NAME.key. */
const makeCa = (name: string) => openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', `/CN=gdmarket test ${name}`, '-keyout', `${name}.key`, '-out', `${name}.pem`)

/** server.crt and server.key, signed by the CA `ca`, for the names a client on this host dials. */
async function makeServerCertificate(ca: string): Promise<void> {
  writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n')
  await openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=localhost', '-keyout', 'server.key', '-out', 'server.csr')
  await openssl('x509', '-req', '-in', 'server.csr', '-CA', `${ca}.pem`, '-CAkey', `${ca}.key`, '-CAcreateserial', '-days', '2', '-extfile', 'server.ext', '-out', 'server.crt')
}

const tls = {certFile: file('server.crt'), keyFile: file('server.key'), caFile: file('ca.pem')}

/** Refused before anything ran: exit 5 and one line, no stack trace. */
function expectRefusedOnOneLine(up: {code: number; stderr: string}) {
  expect(up.code, up.stderr).toBe(5)
  const lines = up.stderr.trim().split('\n')
  expect(lines, up.stderr).toHaveLength(1)
  expect(up.stderr).not.toMatch(/^\s+at /m)
  return lines[0]
}

let stack: Stack | undefined
/** what a refusal test started: its broker and data dir */
const leftovers: {mosquitto?: Mosquitto; dataDir?: string}[] = []
afterEach(async () => {
  await stack?.stop()
  stack = undefined
  for (const {mosquitto, dataDir} of leftovers.splice(0)) {
    if (dataDir) await runCli(['down'], {dataDir}) // had a refused `up` started anything after all
    await mosquitto?.stop()
    if (dataDir) rmSync(dataDir, {recursive: true, force: true})
  }
})

describe.skipIf(!present)('a stack on Mosquitto over TLS (mqtts://)', () => {
  beforeAll(async () => {
    await makeCa('ca')
    await makeCa('other-ca')
    await makeServerCertificate('ca')
  })

  it('with the CA that signed the broker\'s certificate: registers, reserves, pays, lends, returns, and the view follows', async () => {
    stack = await startStack({broker: 'mosquitto', tls})
    expect(stack.mosquitto!.url).toMatch(/^mqtts:\/\/127\.0\.0\.1:\d+$/)
    const {itemNo} = await stack.json(['item', 'register', '--name', 'Camera', '--price', '100'])
    const {reservationNo} = await stack.json(['reserve', String(itemNo), '--customer', 'Young'])
    expect(await stack.json(['pay', String(reservationNo)])).toMatchObject({reservationNo, amount: 100, paymentStatus: 'Paid'})
    expect(await stack.json(['lend', String(itemNo)])).toMatchObject({rentalStatus: 'Renting'})
    expect((await stack.json(['view'])).find((r: {itemNo: number}) => r.itemNo === itemNo)).toMatchObject({rentalStatus: 'Renting', paymentStatus: 'Paid', customerName: 'Young'})
    expect(await stack.json(['return', String(itemNo)])).toMatchObject({itemStatus: 'Rentable', rentalStatus: 'Returned'})
    expect((await stack.json(['view'])).find((r: {itemNo: number}) => r.itemNo === itemNo)).toMatchObject({itemStatus: 'Rentable', rentalStatus: 'Returned', reservationNo: null})
    expect((await stack.json(['reservation', 'show', String(reservationNo)])).reservationStatus).toBe('Completed')
    const status = await stack.json(['status'])
    expect(status.processes.map((p: {state: string}) => p.state)).toEqual(status.processes.map(() => 'online'))
  })

  it('refuses a stack given another CA (exit 5, one line naming the broker, the certificate and the fix), and plain mqtt:// on the TLS listener', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'gdmarket-test-'))
    writeFileSync(path.join(dataDir, 'config.json'), JSON.stringify({httpPort: 0}))
    const refused: {mosquitto?: Mosquitto; dataDir?: string} = {dataDir}
    leftovers.push(refused)
    const mosquitto = (refused.mosquitto = await startMosquitto(dataDir, tls))
    const up = (...broker: string[]) => runCli(['up', '--port', '0', '--http-port', '0', '--broker', ...broker], {dataDir})

    const otherCa = expectRefusedOnOneLine(await up(mosquitto.url, '--broker-ca-file', file('other-ca.pem')))
    expect(otherCa).toContain(mosquitto.url)
    expect(otherCa).toMatch(/certificate/)
    expect(otherCa).toMatch(/--broker-ca-file/)

    const plain = expectRefusedOnOneLine(await up(`mqtt://127.0.0.1:${mosquitto.port}`))
    expect(plain).toContain(`mqtt://127.0.0.1:${mosquitto.port}`)
    expect(plain).toMatch(/TLS listener.*mqtts:\/\//)

    // nothing was left running: the same data dir starts with the right CA
    expect((await up(mosquitto.url, '--broker-ca-file', tls.caFile)).code).toBe(0)
    expect((await runCli(['item', 'register', '--name', 'Tent', '--price', '40', '--json'], {dataDir})).json).toMatchObject({itemName: 'Tent'})
  })
})
