// @ts-check
/**
 * What the walls cost on the hot path, measured apart from the machine's noise: the broker runs
 * the ownership table (`mayPublish`) on every publish of a daemon and watches the framing of
 * every packet it reads (`packetGuard`); the gateway compares the bearer token on every TCP
 * request. Each check is timed alone, over many calls, then multiplied by the messages of one
 * rental cycle (counted in the same run).
 */
import {packetGuard} from '../dist/stack/packetGuard.js'
import {mayPublish, newCredentials, tokenProblem} from '../dist/bus/walls.js'
import {round} from './stats.mjs'

const CALLS = 200_000

/** a daemon's publish of each kind, as the broker sees it */
const publishes = {
  event: /** @type {const} */ (['reservation', 'gdmarket/events/reservation/Reserved']),
  request: /** @type {const} */ (['reservation', 'gdmarket/requests/payment/approve']),
  reply: /** @type {const} */ (['item', 'gdmarket/replies/gdmarket-gateway']),
  status: /** @type {const} */ (['item', 'gdmarket/status/item']),
}

/** nanoseconds per call of `check` */
function timed(/** @type {() => boolean} */ check) {
  let kept = 0
  for (let i = 0; i < CALLS / 10; i++) if (check()) kept++ // warm-up
  const began = process.hrtime.bigint()
  for (let i = 0; i < CALLS; i++) if (check()) kept++
  const ns = Number(process.hrtime.bigint() - began) / CALLS
  if (kept === 0) throw new Error('the walls refused the bench its own publishes')
  return ns
}

/**
 * @param {{byKind: Record<string, number>}} messagesPerCycle the broker's count, per kind
 * @param {number} cyclesPerSecond at concurrency 32, for the share of a cycle
 */
export function measureWalls(messagesPerCycle, cyclesPerSecond) {
  /** @type {Record<string, number>} */
  const nsPerPublish = {}
  for (const [kind, [role, topic]] of Object.entries(publishes)) nsPerPublish[kind] = round(timed(() => mayPublish(role, topic)), 1)
  const credentials = newCredentials()
  const header = `Bearer ${credentials.httpToken}`
  const nsPerBearer = round(timed(() => tokenProblem(credentials, header) === undefined), 1)
  // the broker's framing watch on every chunk it reads: here one 600-byte PUBLISH a chunk
  const publish = Buffer.concat([Buffer.from([0x32, 0xd8, 0x04]), Buffer.alloc(600)])
  const watch = packetGuard(() => Infinity, () => {})
  const nsPerPacket = round(timed(() => (watch(publish), true)), 1)
  // the gateway's own requests enter the broker in process and are not checked; the daemons' are
  const checkedNs = Object.entries(messagesPerCycle.byKind).reduce((sum, [kind, count]) => sum + count * ((nsPerPublish[kind] ?? 0) + nsPerPacket), 0)
  // five HTTP commands a cycle; over TCP each pays one token check (the bench uses the socket)
  const perCycleUs = round((checkedNs + 5 * nsPerBearer) / 1000, 2)
  const cycleUs = cyclesPerSecond > 0 ? 1e6 / cyclesPerSecond : NaN
  return {nsPerPublish, nsPerBearer, nsPerPacket, perCycleUs, shareOfCycle: round(perCycleUs / cycleUs, 5)}
}
