// A local user with no credentials (issue 11), run as another uid by walls.test.ts. Node's
// built-ins only: it is copied to a folder that user can read, and the project's node_modules may
// not be. It prints what each attempt got, as JSON.
import {readdir, readFile} from 'node:fs/promises'
import http from 'node:http'
import net from 'node:net'
import path from 'node:path'

const [dataDir, brokerPort, httpPort] = process.argv.slice(2)

const code = (promise) => promise.then(() => 'allowed', (error) => error.code ?? error.message)

/** A Unix socket: connected, or the error that kept us out. */
const connectSocket = (file) =>
  new Promise((resolve) => {
    const socket = net.connect(file, () => (socket.destroy(), resolve('connected')))
    socket.on('error', (error) => resolve(error.code))
  })

/** An MQTT 3.1.1 CONNECT by hand (the return code of the CONNACK), optionally with a login. */
function mqttConnect(clientId, login) {
  const string = (s) => {
    const b = Buffer.from(s)
    return Buffer.concat([Buffer.from([b.length >> 8, b.length & 0xff]), b])
  }
  const flags = 0x02 | (login ? 0xc0 : 0)
  const body = Buffer.concat([string('MQTT'), Buffer.from([4, flags, 0, 30]), string(clientId), ...(login ? [string(login.user), string(login.password)] : [])])
  const packet = Buffer.concat([Buffer.from([0x10, body.length]), body])
  return new Promise((resolve) => {
    const socket = net.connect(Number(brokerPort), '127.0.0.1', () => socket.write(packet))
    socket.once('data', (data) => {
      socket.destroy()
      resolve(data[0] === 0x20 ? `connack ${data[3]}` : `packet ${data[0]}`)
    })
    socket.on('error', (error) => resolve(error.code))
    socket.on('close', () => resolve('closed'))
  })
}

/** An HTTP request to the gateway's TCP port: its status code. */
const request = (method, urlPath, body, headers = {}) =>
  new Promise((resolve) => {
    const req = http.request({host: '127.0.0.1', port: Number(httpPort), method, path: urlPath, headers: {'content-type': 'application/json', ...headers}}, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    })
    req.on('error', (error) => resolve(error.code))
    req.end(body === undefined ? undefined : JSON.stringify(body))
  })

const files = ['item.journal', 'reservation.journal', 'payment.sqlite', 'config.json', 'logs/item.log', 'run/stack.json', 'run/credentials.json']
const result = {
  uid: process.getuid(),
  listDataDir: await code(readdir(dataDir)),
  read: Object.fromEntries(await Promise.all(files.map(async (f) => [f, await code(readFile(path.join(dataDir, f)))]))),
  brokerSocket: await connectSocket(path.join(dataDir, 'run', 'broker.sock')),
  gatewaySocket: await connectSocket(path.join(dataDir, 'run', 'gateway.sock')),
  mqtt: {
    anonymous: await mqttConnect('stranger'),
    asItem: await mqttConnect('gdmarket-item', {user: 'item', password: 'guess'}),
    asReader: await mqttConnect('stranger', {user: 'reader', password: 'guess'}),
  },
  http: {
    healthz: await request('GET', '/healthz'),
    items: await request('GET', '/items'),
    register: await request('POST', '/items', {itemName: 'Forged', itemPrice: 1}),
    guessedToken: await request('GET', '/reservations', undefined, {authorization: 'Bearer guess'}),
    pay: await request('POST', '/payments', {reservationNo: 1, amount: 1}),
    stopPayment: await request('POST', '/stack/services/payment/stop'),
    events: await request('GET', '/events'),
  },
}
process.stdout.write(JSON.stringify(result))
