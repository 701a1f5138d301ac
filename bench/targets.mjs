// @ts-check
/**
 * The targets (docs/performance.md), each judged from the figures: `pass` true or false, or null
 * when the run did not produce the figure (then the note says why; a target not shown is not met).
 */
import {round} from './stats.mjs'

/**
 * @typedef {{id: string, name: string, figure: number | null, unit: string, target: string, pass: boolean | null, note: string}} Target
 */

/** @param {any} r the results so far @returns {Target[]} */
export function judge(r) {
  return [cycleRatio(r), transportRatio(r), ...(r.moleculer ? [peerRatio(r)] : []), latencyAt8(r), syscallsPerCycle(r), messagesPerCycle(r), gatewayOwn(r), cliRatio(r), growthRatio(r), nearRatio(r), datedRatio(r), upTime(r), stackRss(r)]
}

/** @returns {Target} */
function target(/** @type {Omit<Target, 'pass'>} */ t, /** @type {(figure: number) => boolean} */ ok) {
  const pass = t.figure === null || !Number.isFinite(t.figure) ? null : ok(t.figure)
  return {...t, figure: t.figure === null || !Number.isFinite(t.figure) ? null : t.figure, pass}
}

/** The run at the concurrency where a system does most cycles/s. */
const best = (/** @type {any[]} */ runs) => runs.reduce((a, b) => (b.cyclesPerSec > a.cyclesPerSec ? b : a))

/** Each at its best concurrency: what a user of either would run it at. */
function cycleRatio(/** @type {any} */ r) {
  const g = best(r.gdmarket.cycles)
  const m = best(r.monolith.cycles)
  // what the transport alone allows: the limit's messages/s (a request and its reply each) over a
  // cycle's messages, as if the daemons did no work at all — an upper bound, not a prediction
  const limitPerSec = r.limit?.persistentSession?.inFlight32?.requestsPerSec
  const perCycle = r.gdmarket.messagesPerCycle?.published
  const ceiling = limitPerSec && perCycle ? round((limitPerSec * 2) / perCycle, 0) : null
  return target(
    {
      id: 'cyclesVsMonolith',
      name: 'gdmarket cycles/s ÷ monolith cycles/s (each at its best concurrency)',
      figure: round((g.cyclesPerSec / m.cyclesPerSec) * 100, 1),
      unit: '%',
      target: '≥ 50 %',
      note:
        `gdmarket ${g.cyclesPerSec}/s at concurrency ${g.concurrency}, monolith ${m.cyclesPerSec}/s at concurrency ${m.concurrency}` +
        (ceiling ? `; the transport alone allows ≈ ${ceiling}/s (${round((ceiling / m.cyclesPerSec) * 100, 0)} % of the monolith): the limit's ${limitPerSec} requests/s × 2 messages ÷ ${perCycle} messages a cycle` : ''),
    },
    (x) => x >= 50,
  )
}

/**
 * gdmarket against what its transport alone allows (issue 20): aedes' request/replies per second
 * with 32 in flight, × 2 messages each, ÷ the messages of one rental cycle.
 */
function transportRatio(/** @type {any} */ r) {
  const g = best(r.gdmarket.cycles)
  const limitPerSec = r.limit?.persistentSession?.inFlight32?.requestsPerSec
  const perCycle = r.gdmarket.messagesPerCycle?.published
  const ceiling = limitPerSec && perCycle ? (limitPerSec * 2) / perCycle : null
  return target(
    {
      id: 'cyclesVsTransport',
      name: "gdmarket cycles/s ÷ the transport's limit (limit × 2 ÷ messages per cycle)",
      figure: ceiling ? round((g.cyclesPerSec / ceiling) * 100, 1) : null,
      unit: '%',
      target: '≥ 50 %',
      note: ceiling
        ? `gdmarket ${g.cyclesPerSec}/s at concurrency ${g.concurrency}; the transport ≈ ${round(ceiling, 0)}/s: ${limitPerSec} requests/s × 2 ÷ ${perCycle} messages a cycle`
        : 'not measured: no limit or no message count',
    },
    (x) => x >= 50,
  )
}

/** The first count (bbabc12, docs/performance.md#syscalls): the target is half of it. */
const FIRST_SYSCALLS_PER_CYCLE = 690

/** Syscalls per rental cycle over the whole stack, with --strace (issue 20). */
function syscallsPerCycle(/** @type {any} */ r) {
  const s = r.gdmarket.syscalls
  return target(
    {
      id: 'syscallsPerCycle',
      name: 'syscalls per rental cycle, whole stack (strace -c -f, cycles one after another)',
      figure: s?.perCycle ?? null,
      unit: '',
      target: `≤ ${FIRST_SYSCALLS_PER_CYCLE / 2} (half of the first count, ${FIRST_SYSCALLS_PER_CYCLE})`,
      note: s?.perCycle ? `by process: ${Object.entries(s.byProcess).map(([name, n]) => `${name} ${n}`).join(', ')}` : s?.note ?? 'not counted: run with --strace',
    },
    (x) => x <= FIRST_SYSCALLS_PER_CYCLE / 2,
  )
}

/**
 * gdmarket against the same cycle on Moleculer (issue 20), each at its best concurrency: what its
 * guarantees (outbox, inbox, read-your-writes, walls) cost, or save, against a framework that
 * offers none of them.
 */
function peerRatio(/** @type {any} */ r) {
  const g = best(r.gdmarket.cycles)
  const m = best(r.moleculer.cycles)
  const failed = r.moleculer.cycles.reduce((/** @type {number} */ sum, /** @type {any} */ c) => sum + c.failures, 0)
  const lost = r.moleculer.lostEvents ?? 0
  return target(
    {
      id: 'cyclesVsMoleculer',
      name: 'gdmarket cycles/s ÷ Moleculer cycles/s (same broker, each at its best concurrency)',
      figure: round(g.cyclesPerSec / m.cyclesPerSec, 2),
      unit: '×',
      target: '≥ 1.0×',
      note:
        `gdmarket ${g.cyclesPerSec}/s at concurrency ${g.concurrency}, Moleculer ${m.cyclesPerSec}/s at concurrency ${m.concurrency}; ` +
        `CPU per cycle there: gdmarket ${g.systemCpuMsPerCycle} ms, Moleculer ${m.systemCpuMsPerCycle} ms; ` +
        `Moleculer: ${failed} failed cycles, ${lost} events lost; broker messages per cycle: gdmarket ${r.gdmarket.messagesPerCycle?.published}, Moleculer ${r.moleculer.messagesPerCycle?.published}`,
    },
    (x) => x >= 1,
  )
}

/** The slowest command's p99 in the growth run with 1,000 items, at concurrency 8. */
function latencyAt8(/** @type {any} */ r) {
  const at1k = r.growth.sizes.find((/** @type {any} */ s) => s.size === 1000 && s.commands)
  const worst = at1k ? worstOf(at1k.commands, 'p99Ms') : null
  return target(
    {
      id: 'p99At8With1k',
      name: `p99 command latency at concurrency ${r.growth.concurrency} with 1k items`,
      figure: worst ? worst.value : null,
      unit: 'ms',
      target: '≤ 15 ms',
      note: worst ? `slowest: ${worst.command}` : 'not measured: --sizes has no 1000',
    },
    (x) => x <= 15,
  )
}

/** The command whose p50 grew most from the smallest size to the largest. */
function growthRatio(/** @type {any} */ r) {
  const sizes = r.growth.sizes
  const small = sizes[0]
  const large = sizes.at(-1)
  const name =
    sizes.length < 2
      ? 'growth: command p50 at the largest size ÷ at the smallest'
      : `growth: command p50 at ${large.size} items ÷ at ${small.size} (slowest-growing command)`
  /** @type {Omit<Target, 'pass'>} */
  const t = {id: 'growthP50', name, figure: null, unit: '×', target: '≤ 2× (100k vs 1k)', note: ''}
  if (sizes.length < 2) return target({...t, note: 'not measured: needs two sizes (e.g. --sizes 1000,100000)'}, () => false)
  /** the command whose p50 grew most from `small` to `s` */
  const worstGrowth = (/** @type {any} */ s) =>
    Object.keys(small.commands)
      .map((command) => ({command, value: s.commands[command]?.p50Ms / small.commands[command].p50Ms}))
      .reduce((a, b) => (b.value > a.value ? b : a))
  if (!small.commands || !large.commands || !large.seeded) {
    // the largest size that was measured says where it is heading
    const reached = small.commands ? sizes.filter((/** @type {any} */ s) => s.commands && s !== small).at(-1) : undefined
    const heading = reached ? `; at ${reached.items} items: ${round(worstGrowth(reached).value)}× (${worstGrowth(reached).command})` : ''
    return target({...t, note: `not measured: ${large.note ?? small.note ?? 'a size was not seeded'}${heading}`}, () => false)
  }
  const worst = worstGrowth(large)
  return target({...t, figure: round(worst.value), note: `${worst.command}: ${small.commands[worst.command].p50Ms} → ${large.commands[worst.command].p50Ms} ms`}, (x) => x <= 2)
}

/** A search near a place (2 km) through the gateway: its p50 at the largest size ÷ at the smallest (issue 19). */
function nearRatio(/** @type {any} */ r) {
  const measured = r.growth.sizes.filter((/** @type {any} */ s) => s.near)
  const [small, large] = [measured[0], measured.at(-1)]
  /** @type {Omit<Target, 'pass'>} */
  const t = {id: 'nearP50', name: 'growth: a 2 km search near a place, p50 at the largest size ÷ at the smallest', figure: null, unit: '×', target: '≤ 2× (100k vs 1k)', note: ''}
  if (measured.length < 2) return target({...t, note: 'not measured: needs two sizes (e.g. --sizes 1000,100000)'}, () => false)
  const note = `${small.items} items: ${small.near.p50Ms} ms (${small.near.found} found); ${large.items} items: ${large.near.p50Ms} ms (${large.near.found} found); item and view on the JSON store`
  return target({...t, figure: round(large.near.p50Ms / small.near.p50Ms), note}, (x) => x <= 2)
}

/** A rental for dates beside one without, on one stack in rounds (bench/dated.mjs). */
function datedRatio(/** @type {any} */ r) {
  const d = r.gdmarket.dated
  /** @type {Omit<Target, 'pass'>} */
  const t = {id: 'datedCycles', name: 'a rental cycle with dates: cycles/s ÷ the undated cycle\'s (same stack, in rounds)', figure: null, unit: '×', target: '≥ 1.0× (not lower)', note: ''}
  if (!d) return target({...t, note: 'not measured'}, () => false)
  const p50 = (/** @type {any} */ kind, /** @type {string} */ command) => kind.commands[command]?.p50Ms
  const note = `dated ${d.dated.cyclesPerSec}/s, undated ${d.undated.cyclesPerSec}/s at concurrency ${d.concurrency} (${d.days}-day bookings); reserve p50 ${p50(d.dated, 'reserve')} vs ${p50(d.undated, 'reserve')} ms, lend ${p50(d.dated, 'lend')} vs ${p50(d.undated, 'lend')} ms`
  return target({...t, figure: round(d.dated.cyclesPerSec / d.undated.cyclesPerSec), note}, (x) => x >= 1)
}

/** Every command of a rental, and the reads, as a new process: the slowest one's median. */
function cliRatio(/** @type {any} */ r) {
  const each = Object.entries(r.cli.commands)
    .map(([command, c]) => `${command} ${/** @type {any} */ (c).medianMs} ms`)
    .join(', ')
  return target(
    {
      id: 'cliVsNode',
      name: "slowest CLI command as a new process ÷ node -e ''",
      figure: r.cli.worst.ratio,
      unit: '×',
      target: '≤ 3×',
      note: `${r.cli.worst.command}; node -e '' ${r.cli.nodeMedianMs} ms; ${each} (medians of ${r.cli.runs})`,
    },
    (x) => x <= 3,
  )
}

function messagesPerCycle(/** @type {any} */ r) {
  const m = r.gdmarket.messagesPerCycle
  return target(
    {
      id: 'messagesPerCycle',
      name: 'broker messages per rental cycle',
      figure: m.published,
      unit: '',
      target: '≤ 17',
      note: Object.entries(m.byKind).map(([kind, count]) => `${kind} ${count}`).join(', '),
    },
    (x) => x <= 17,
  )
}

/** The command the gateway itself spends most on, at p50. */
function gatewayOwn(/** @type {any} */ r) {
  const own = r.gdmarket.gatewayOwn
  const worst = own && Object.keys(own).length > 0 ? worstOf(own, 'p50Ms') : null
  return target(
    {
      id: 'gatewayOwnP50',
      name: "the gateway's own time per command, p50 (slowest command)",
      figure: worst ? worst.value : null,
      unit: 'ms',
      target: '≤ 1 ms',
      note: worst ? `${worst.command}; p99 ${own[worst.command].p99Ms} ms` : 'not measured',
    },
    (x) => x <= 1,
  )
}

function upTime(/** @type {any} */ r) {
  return target(
    {
      id: 'upMs',
      name: '`up` until all services ready',
      figure: r.start.upMedianMs,
      unit: 'ms',
      target: '≤ 1500 ms',
      note: `median of ${r.start.upMs.length} (${r.start.upMs.join(', ')} ms), wall time of the command`,
    },
    (x) => x <= 1500,
  )
}

function stackRss(/** @type {any} */ r) {
  return target(
    {
      id: 'stackRssIdle',
      name: 'whole stack RSS, idle',
      figure: r.memory.idle.totalMb,
      unit: 'MB',
      target: '≤ 250 MB',
      note: Object.entries(r.memory.idle.byProcessMb)
        .map(([name, mb]) => `${name} ${mb}`)
        .join(', '),
    },
    (x) => x <= 250,
  )
}

/** @param {Record<string, any>} commands @param {string} key */
function worstOf(commands, key) {
  return Object.entries(commands)
    .map(([command, s]) => ({command, value: s[key]}))
    .reduce((a, b) => (b.value > a.value ? b : a))
}
