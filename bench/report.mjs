// @ts-check
/** The results for people: a few tables on stdout (the same figures as the JSON). */
import Table from 'cli-table3'

import {COMMANDS} from './cycles.mjs'
import {round} from './stats.mjs'

const plain = {style: {head: [], border: []}}
/** @param {string} text @param {number} width */
const wrap = (text, width) => text.replace(new RegExp(`(.{1,${width}})(\\s+|$)`, 'g'), '$1\n').trim()
const ms = (/** @type {number | undefined} */ x) => (x === undefined || !Number.isFinite(x) ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(1))
const n = (/** @type {number | null | undefined} */ x) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toLocaleString('en-US'))
const pair = (/** @type {any} */ s) => (s ? `${ms(s.p50Ms)} / ${ms(s.p99Ms)}` : '-')

/** the systems run side by side, as the tables name them; the peer only when the run had it */
const systemsOf = (/** @type {any} */ r) =>
  [
    {key: 'monolith', label: 'monolith (in-process)', short: 'monolith'},
    {key: 'gdmarket', label: 'gdmarket (through the gateway)', short: 'gdmarket'},
    {key: 'moleculer', label: 'Moleculer (through moleculer-web)', short: 'Moleculer'},
  ].filter((s) => r[s.key])

/** Rental cycles/s of each system at each concurrency, gdmarket's share of the others, failures. */
function cycleTable(/** @type {any} */ r) {
  const table = new Table({...plain, head: ['rental cycles/s', ...r.gdmarket.cycles.map((/** @type {any} */ c) => `concurrency ${c.concurrency}`)]})
  const systems = systemsOf(r)
  for (const s of systems) table.push([s.label, ...r[s.key].cycles.map((/** @type {any} */ c) => n(c.cyclesPerSec))])
  const share = (/** @type {string} */ other) => r.gdmarket.cycles.map((/** @type {any} */ c, /** @type {number} */ i) => `${Math.round((c.cyclesPerSec / r[other].cycles[i].cyclesPerSec) * 100)} %`)
  table.push(['gdmarket ÷ monolith', ...share('monolith')])
  if (r.moleculer) table.push(['gdmarket ÷ Moleculer', ...share('moleculer')])
  for (const s of systems.filter((s) => s.key !== 'monolith')) {
    table.push([`${s.short} failed cycles`, ...r[s.key].cycles.map((/** @type {any} */ c) => (c.failures ? `${c.failures} ${JSON.stringify(c.failureCodes)}` : '0'))])
  }
  if (r.moleculer) table.push(['Moleculer events lost (never applied)', ...r.moleculer.cycles.map((/** @type {any} */ c) => n(c.lostEvents ?? null))])
  return table.toString()
}

/** p50 / p99 of each command, one row per command and system, one column per concurrency. */
function commandTable(/** @type {any} */ r) {
  const table = new Table({...plain, head: ['command p50 / p99 ms', ...r.gdmarket.cycles.map((/** @type {any} */ c) => `c=${c.concurrency}`)]})
  for (const command of COMMANDS) {
    for (const s of systemsOf(r)) table.push([`${command}: ${s.short}`, ...r[s.key].cycles.map((/** @type {any} */ c) => pair(c.commands[command]))])
  }
  return table.toString()
}

/** CPU ms per cycle of each system at each concurrency, and by process over every concurrency. */
function cpuTable(/** @type {any} */ r) {
  const table = new Table({...plain, head: ['CPU ms per rental cycle', ...r.gdmarket.cycles.map((/** @type {any} */ c) => `c=${c.concurrency}`)]})
  for (const s of systemsOf(r)) table.push([`${s.short}: all its processes`, ...r[s.key].cycles.map((/** @type {any} */ c) => ms(c.systemCpuMsPerCycle))])
  for (const s of systemsOf(r).filter((s) => s.key !== 'monolith')) {
    const byProcess = Object.keys(r[s.key].cycles[0].cpuMsPerCycle)
    for (const name of byProcess) table.push([`  ${s.short}: ${name}`, ...r[s.key].cycles.map((/** @type {any} */ c) => ms(c.cpuMsPerCycle[name]))])
  }
  return table.toString()
}

/**
 * gdmarket on Mosquitto beside the embedded aedes (bench/brokers.mjs): cycles/s, their ratio, each
 * command's p50 / p99 and CPU per cycle, one column per concurrency; a line when it was skipped.
 * @param {any} b
 */
function brokersTable(b) {
  if (b.skipped) return `gdmarket on Mosquitto: skipped: ${b.skipped}`
  const brokers = [
    {key: 'aedes', label: 'aedes (embedded)'},
    {key: 'mosquitto', label: `Mosquitto ${b.mosquittoVersion}`},
  ]
  const table = new Table({...plain, head: ['gdmarket on each broker', ...b.aedes.cycles.map((/** @type {any} */ c) => `c=${c.concurrency}`)]})
  for (const {key, label} of brokers) table.push([`rental cycles/s: ${label}`, ...b[key].cycles.map((/** @type {any} */ c) => n(c.cyclesPerSec))])
  table.push(['Mosquitto ÷ aedes', ...b.mosquitto.cycles.map((/** @type {any} */ c, /** @type {number} */ i) => `${round(c.cyclesPerSec / b.aedes.cycles[i].cyclesPerSec, 2)}×`)])
  for (const {key, label} of brokers) table.push([`failed cycles: ${label}`, ...b[key].cycles.map((/** @type {any} */ c) => (c.failures ? `${c.failures} ${JSON.stringify(c.failureCodes)}` : '0'))])
  for (const command of COMMANDS) {
    for (const {key, label} of brokers) table.push([`${command} p50 / p99 ms: ${label}`, ...b[key].cycles.map((/** @type {any} */ c) => pair(c.commands[command]))])
  }
  for (const {key, label} of brokers) table.push([`CPU ms per cycle: ${label}`, ...b[key].cycles.map((/** @type {any} */ c) => ms(c.systemCpuMsPerCycle))])
  for (const {key, label} of brokers) {
    for (const name of Object.keys(b[key].cycles[0].cpuMsPerCycle)) table.push([`  ${label}: ${name}`, ...b[key].cycles.map((/** @type {any} */ c) => ms(c.cpuMsPerCycle[name]))])
  }
  return table.toString()
}

/**
 * `/itemInfoes` reads/s with 1, 2 and 3 view replicas (bench/replicas.mjs), and each process's
 * share of a core meanwhile: what the cores went to says why it does or does not scale.
 * @param {{push(row: string[]): void}} more @param {any} v
 */
function viewReplicaRows(more, v) {
  if (!v) return
  for (const row of v.rows) {
    const cpu = Object.entries(row.cpuPercent).map(([name, share]) => `${name} ${share}`).join(', ')
    more.push([
      `/itemInfoes reads/s, ${row.replicas} view replica${row.replicas > 1 ? 's' : ''} (${v.items} rows, ${v.concurrency} in flight)`,
      `${n(row.readsPerSec)}/s, p50 ${ms(row.p50Ms)} ms, p99 ${ms(row.p99Ms)} ms${row.failures ? `, ${row.failures} failed` : ''}; CPU % of a core: ${cpu} (${row.cpuTotalPercent} of ${row.cores * 100}; load ${round(row.loadAverage, 1)})`,
    ])
  }
}

/**
 * The dated and the undated rental cycle on one stack (bench/dated.mjs).
 * @param {{push(row: string[]): void}} more @param {any} d
 */
function datedRows(more, d) {
  if (!d) return
  for (const kind of ['undated', 'dated']) {
    const k = d[kind]
    const p50s = Object.entries(k.commands).map(([command, s]) => `${command} ${ms(/** @type {any} */ (s).p50Ms)}`).join(', ')
    const label = kind === 'dated' ? `rental cycles with dates (${d.days} days from today)` : 'rental cycles without dates'
    more.push([`${label}, concurrency ${d.concurrency}`, `${n(k.cyclesPerSec)}/s over ${k.cycles} cycles${k.failures ? `, ${k.failures} failed` : ''}; p50 ms: ${p50s}`])
  }
}

/**
 * Syscalls per rental cycle (bench/syscalls.mjs, with --strace), by process and the most made calls.
 * @param {{push(row: string[]): void}} more @param {any} s
 */
function syscallRows(more, s) {
  if (!s) return
  if (s.note) return more.push(['syscalls per rental cycle (strace -c -f)', s.note])
  const each = (/** @type {Record<string, number>} */ counts, /** @type {number} */ top) =>
    Object.entries(counts).slice(0, top).map(([name, count]) => `${name} ${count}`).join(', ')
  more.push(['syscalls per rental cycle (strace -c -f)', `${s.perCycle} over ${s.cycles} cycles one after another, less the same time at rest`])
  more.push(['  by process', each(s.byProcess, 99)])
  more.push(['  by call', each(s.byCall, 12)])
}

/** Everything else measured, one row each: messages, propagation, the CLI, the gateway's own time, the walls, start and memory. */
function measuresTable(/** @type {any} */ r) {
  const p = r.gdmarket.propagation
  const more = new Table({...plain, head: ['measure', 'figure']})
  const perCycle = r.gdmarket.messagesPerCycle
  const plural = (/** @type {string} */ kind) => (kind === 'reply' ? 'replies' : `${kind}s`)
  const kinds = Object.entries(perCycle.byKind).map(([kind, count]) => `${count} ${plural(kind)}`).join(', ')
  more.push(['messages through the broker per rental cycle', `${perCycle.published}: ${kinds}`])
  if (r.moleculer) {
    const mol = r.moleculer.messagesPerCycle
    const packets = Object.entries(mol.byKind).map(([kind, count]) => `${count} ${kind}`).join(', ')
    more.push(['  Moleculer: messages into its broker per rental cycle', `${mol.published}: ${packets} (heartbeats and discovery left out)`])
  }
  more.push(['event propagation: reserve reply → view row NotRentable', `p50 ${ms(p.p50Ms)} ms, p99 ${ms(p.p99Ms)} ms (${p.count} samples, at most ${p.maxPolls} view request)`])
  more.push(['  `view list` round trip at rest', `p50 ${ms(p.viewListAtRest?.p50Ms)} ms`])
  more.push(['  Reserved event at a subscriber before the reply', `p50 ${ms(p.eventBeforeReplyP50Ms)} ms`])
  for (const [command, c] of Object.entries(r.cli.commands)) {
    more.push([`CLI: gdmarket ${command} (new process)`, `${ms(/** @type {any} */ (c).medianMs)} ms median of ${r.cli.runs}, ${/** @type {any} */ (c).ratio}× node -e ''`])
  }
  more.push(["CLI: node -e ''", `${ms(r.cli.nodeMedianMs)} ms median`])
  for (const [command, s] of Object.entries(r.gdmarket.gatewayOwn ?? {})) {
    more.push([`gateway's own time: ${command}`, `p50 ${ms(/** @type {any} */ (s).p50Ms)} ms, p99 ${ms(/** @type {any} */ (s).p99Ms)} ms (${n(/** @type {any} */ (s).count)} requests)`])
  }
  const w = r.gdmarket.walls
  if (w) {
    const each = Object.entries(w.nsPerPublish).map(([kind, ns]) => `${kind} ${ns} ns`).join(', ')
    more.push(["the walls' checks, timed alone", `per publish: ${each}; framing watch: ${w.nsPerPacket} ns a packet; bearer token: ${w.nsPerBearer} ns`])
    more.push(['  per rental cycle', `${w.perCycleUs} µs, ${round(w.shareOfCycle * 100, 3)} % of a cycle at the best concurrency`])
  }
  viewReplicaRows(more, r.gdmarket.viewReplicas)
  datedRows(more, r.gdmarket.dated)
  syscallRows(more, r.gdmarket.syscalls)
  more.push(['`up` until all ready (wall time)', `${n(r.start.upMedianMs)} ms median of ${r.start.upMs.join(', ')} ms; supervisor: ${r.start.readyMs.join(', ')} ms`])
  const rssRow = (/** @type {string} */ label, /** @type {any} */ rss) =>
    more.push([label, `${rss.totalMb} MB (${Object.entries(rss.byProcessMb).map(([name, mb]) => `${name} ${mb}`).join(', ')})`])
  rssRow('RSS idle', r.memory.idle)
  rssRow('RSS after load', r.memory.afterLoad)
  more.push(['  a bare node process at rest, for scale', `${r.memory.idle.bareNodeMb} MB`])
  if (r.moleculer) {
    rssRow('Moleculer RSS idle', r.moleculer.memory.idle)
    rssRow('Moleculer RSS after load', r.moleculer.memory.afterLoad)
  }
  return more.toString()
}

/** @param {any} r the results @returns {string} */
export function renderReport(r) {
  const out = []
  const m = r.machine
  out.push(`gdmarket benchmark (${r.mode}), ${r.startedAt}, ${Math.round(r.durationMs / 1000)} s`)
  out.push(`machine: ${m.cpuModel}, ${m.cores} cores, ${Math.round(m.memoryMb / 1024)} GB, node ${m.node}, ${m.os}, temp dirs on ${m.tmpFilesystem}; load average ${m.loadAverageAtStart.join(' ')} at start, ${m.loadAverageAtEnd.join(' ')} at end`)
  if (r.code?.commit) out.push(`code: commit ${r.code.commit}${r.code.srcModified ? ' with uncommitted changes in src/' : ''}`)
  if (r.cpuProfileDir) out.push(`CPU profiles of the stacks' processes in ${r.cpuProfileDir} (figures taken under profiling)`)

  const limit = new Table({...plain, head: ['the limit: raw MQTT request/reply', 'requests', 'p50 / p99 ms', 'requests/s']})
  for (const [label, l] of [['', r.limit], [' (persistent session, as the daemons)', r.limit.persistentSession]]) {
    limit.push([`sequential${label}`, n(l.sequential.count), pair(l.sequential), '-'])
    limit.push([`32 in flight${label}`, n(l.inFlight32.count), pair(l.inFlight32), n(l.inFlight32.requestsPerSec)])
  }
  out.push(limit.toString())

  out.push(cycleTable(r))
  out.push(commandTable(r))
  if (r.gdmarket.cycles[0].cpuMsPerCycle) out.push(cpuTable(r))
  if (r.brokers) out.push(brokersTable(r.brokers))

  out.push(measuresTable(r))

  const growth = new Table({...plain, head: ['growth: items', 'seeded in', 'cycles/s', ...COMMANDS.map((c) => `${c} p50`), 'worst p99', 'near 2 km p50 / p99 (found)']})
  for (const s of r.growth.sizes) {
    if (!s.commands) {
      growth.push([`${n(s.size)}: not measured`, s.seedMs === undefined ? '-' : `${(s.seedMs / 1000).toFixed(1)} s`, {colSpan: COMMANDS.length + 3, content: wrap(s.note, 100)}])
      continue
    }
    const worst = Math.max(...Object.values(s.commands).map((/** @type {any} */ c) => c.p99Ms))
    growth.push([
      s.seeded ? n(s.items) : `${n(s.items)} (of ${n(s.size)})`,
      `${(s.seedMs / 1000).toFixed(1)} s`,
      n(s.cyclesPerSec),
      ...COMMANDS.map((c) => ms(s.commands[c]?.p50Ms)),
      ms(worst),
      s.near ? `${ms(s.near.p50Ms)} / ${ms(s.near.p99Ms)} (${s.near.found})` : '-',
    ])
  }
  out.push(`growth: rental cycles at concurrency ${r.growth.concurrency} for ${r.growth.durationMs / 1000} s per size, after seeding with ${r.growth.seedInFlight} registers in flight`)
  out.push(growth.toString())
  for (const s of r.growth.sizes) {
    if (s.note && s.commands) out.push(`  ${n(s.size)}: ${s.note}`)
    if (s.failures) out.push(`  ${n(s.size)}: ${s.failures} cycles failed ${JSON.stringify(s.failureCodes)}`)
  }

  const targets = new Table({...plain, head: ['target', 'figure', 'wanted', 'result', 'how'], colWidths: [44, 11, 19, 21, 60], wordWrap: true})
  for (const t of r.targets) {
    targets.push([t.name, t.figure === null ? '-' : `${t.figure} ${t.unit}`, t.target, t.pass === null ? 'miss (not measured)' : t.pass ? 'pass' : 'MISS', t.note])
  }
  out.push(targets.toString())
  for (const note of r.notes) out.push(`note: ${note}`)
  return out.join('\n') + '\n'
}
