// @ts-check
/**
 * A helper process for "the limit": `echoPeer.mjs broker <dir>` runs gdmarket's embedded broker
 * (startBroker, the same aedes setup as a stack's supervisor, with its Unix socket in <dir>);
 * `echoPeer.mjs echo <address> <name> [persistent]` (address: the broker's {port, socket} as JSON) is a trivial responder that answers every request on
 * gdmarket/requests/<name>/+ with its body — with a persistent session (a fixed client id and
 * clean: false, as the daemons have) when told so. Each tells its parent over IPC when it is
 * ready, and exits when the parent goes away. The broker counts what its clients publish, by the
 * topic's second level (`gdmarket/requests/…`: requests; Moleculer's `MOL.REQ.item`: REQ), and
 * tells the parent when asked (`messages`): the Moleculer peer runs on this broker too.
 */
import {connectBus, publisherOf} from '../dist/bus/connect.js'
import {startBroker} from '../dist/stack/broker.js'
import {sendReply} from '../dist/bus/rpc.js'
import {topics} from '../dist/bus/topics.js'
import {serveParent} from './parentChannel.mjs'

const [mode, arg, name = 'echo', session] = process.argv.slice(2)
const send = (/** @type {object} */ message) => process.send?.(message)

if (mode === 'broker') {
  /** @type {Record<string, number>} */
  const messages = {}
  const count = (/** @type {string} */ topic) => {
    const kind = topic.split(/[./]/)[1] ?? topic
    messages[kind] = (messages[kind] ?? 0) + 1
  }
  const broker = await startBroker(0, `${arg}/broker.sock`, /** @type {any} */ (count))
  serveParent({messages: () => messages}, () => broker.close())
  send({ready: true, address: {port: broker.port, socket: broker.socket}})
} else if (mode === 'echo') {
  const persistent = session === 'persistent'
  const clientId = persistent ? `gdmarket-bench-${name}` : `gdmarket-bench-${name}-${process.pid}`
  const client = await connectBus(JSON.parse(arg), {clientId, clean: !persistent, reconnectPeriod: 0})
  const publish = publisherOf(client)
  client.on('message', (_topic, payload) => {
    // no schema check: the limit is the transport, a daemon's validation is part of gdmarket's cost
    const request = JSON.parse(payload.toString())
    sendReply(publish, request, {ok: true, result: request.body})
  })
  await client.subscribeAsync(topics.requestsOf(name), {qos: 1})
  serveParent({}, () => client.endAsync(true))
  send({ready: true})
} else {
  console.error('usage: echoPeer.mjs broker <dir> | echo <address-json> <name> [persistent]')
  process.exit(2)
}
