import {parseEnvelope, type Envelope} from '../bus/events.js'
import type {ServiceName} from '../bus/topics.js'
import {Exit, GdError} from '../errors.js'
import type {ServiceStore} from '../store/serviceStore.js'
import type {Log} from './log.js'
import {CATCH_UP_PAGE} from './repair.js'
import {stamp, type ServiceDefinition} from './service.js'
import {hasSeen, highestSeen, names, range, type Evidence, type Verdict} from './storeVerdict.js'
import {WITNESS_PAGE} from './witness.js'

export interface RecoveryDeps<S> {
  def: ServiceDefinition<S>
  store: ServiceStore<S>
  evidence: Evidence
  verdict: Verdict & {behind: NonNullable<Verdict['behind']>}
  /** a page of the events of this service a follower holds whole, after a seq */
  witness(follower: string, afterSeq: number): Promise<unknown>
  /** a page of a followed service's history: its events with afterSeq < seq < beforeSeq */
  history(source: string, afterSeq: number, beforeSeq: number): Promise<unknown>
  log: Log
}

/** What a store recovery did (docs/commands.md, store recover). */
export interface RecoveryReport {
  service: string
  /** the seqs rebuilt, or null when none were missing or they could not all be found */
  recovered: {from: number; to: number; count: number} | null
  /** how many of them each follower held whole */
  from: Record<string, number>
  /** events of the services it follows replayed among them, in the order they were made */
  interleaved: Record<string, number>
  /** saga reactions it owed to events it had applied but not reacted to before the loss */
  reactions: number
  /** the first seqs no follower holds whole (those that know them by their seq only), or null */
  missing: {from: number; to: number; count: number; knownBy: string[]} | null
  /** the seqs after them, up to what the followers have seen: they cannot go on without them */
  blocked: {from: number; to: number; count: number} | null
  notAsked: {name: string; why: string}[]
}

/**
 * Rebuilds the events a store lost from the copies its followers hold (their journals keep the
 * events they applied since their snapshot before last), all of them or nothing: the store is
 * written only when every missing seq was found. They are replayed with the events of the services
 * it follows in the order they were made (ids are time-ordered), so its state evolves as it did:
 * a reservation meets the item it was made for. Replaying decides nothing: an incoming event's
 * reaction that is among the rebuilt events is not made again; one that is not is made at the end.
 */
export async function recoverStore<S>(deps: RecoveryDeps<S>): Promise<RecoveryReport> {
  const {def, store, evidence, verdict, log} = deps
  const {from, to} = verdict.behind
  const found = await collect(deps)
  let end = verdict.lastSeq
  while (found.has(end + 1)) end++
  const report: RecoveryReport = {
    service: def.name,
    recovered: null,
    from: {},
    interleaved: {},
    reactions: 0,
    missing: null,
    blocked: null,
    notAsked: evidence.notAsked,
  }
  if (end < to) {
    const knownBy = [...evidence.marks]
      .filter(([, mark]) => hasSeen(mark, end + 1) || highestSeen(mark) > end)
      .map(([name]) => name)
      .sort()
    let gapEnd = end + 1
    while (gapEnd < to && !found.has(gapEnd + 1)) gapEnd++
    report.missing = {from: end + 1, to: gapEnd, count: gapEnd - end, knownBy}
    if (gapEnd < to) report.blocked = {from: gapEnd + 1, to, count: to - gapEnd}
    return report
  }
  const chain = [...found.values()].filter((f) => f.event.seq >= from && f.event.seq <= to).sort((a, b) => a.event.seq - b.event.seq)
  for (const f of chain) for (const holder of f.holders) report.from[holder] = (report.from[holder] ?? 0) + 1
  const incoming = await interleaving(deps, chain.at(-1)!.event.id, report)
  await store.settleTail(verdict.keepTail)
  report.reactions = await replay(def, store, inOrderMade([chain.map((f) => f.event), ...incoming]))
  // what every follower that answered has applied need not be published again; the rest is
  const applied = Math.min(...[...evidence.marks.values()].map((mark) => mark.upTo))
  store.markPublished(Math.min(applied, to))
  await store.durable()
  report.recovered = {from, to, count: to - from + 1}
  log.info(`recovered ${report.recovered.count} events (seq ${range(from, to)}) from ${names(Object.keys(report.from))}`)
  return report
}

/** Every event of this service after the store's end that some follower holds whole, by seq, with who holds it. */
async function collect<S>(deps: RecoveryDeps<S>): Promise<Map<number, {event: Envelope; holders: string[]}>> {
  const {def, verdict, log} = deps
  const found = new Map<number, {event: Envelope; holders: string[]}>()
  for (const follower of deps.evidence.marks.keys()) {
    for (let after = verdict.lastSeq; after < verdict.behind.to; ) {
      const page = await deps.witness(follower, after).catch((error: Error) => {
        log.warn(`${follower} did not give the events it holds: ${error.message}`)
        return []
      })
      const events = (Array.isArray(page) ? page : []).flatMap((raw) => {
        const parsed = parseEnvelope(raw)
        return parsed.ok && parsed.envelope.source === def.name && parsed.envelope.seq > after ? [parsed.envelope] : []
      })
      for (const event of events) {
        const known = found.get(event.seq)
        if (known) known.holders.push(follower)
        else found.set(event.seq, {event, holders: [follower]})
      }
      if (events.length < WITNESS_PAGE) break
      after = Math.max(...events.map((e) => e.seq))
    }
  }
  return found
}

/** The events of each followed service this store had not applied, made before the last rebuilt one: a list per source. */
async function interleaving<S>(deps: RecoveryDeps<S>, lastId: string, report: RecoveryReport): Promise<Envelope[][]> {
  const {def, store, log} = deps
  const lists: Envelope[][] = []
  for (const source of def.follows) {
    const incoming: Envelope[] = []
    lists.push(incoming)
    let after = store.appliedUpTo(source)
    for (;;) {
      const page = await deps.history(source, after, after + CATCH_UP_PAGE + 1).catch((error: Error) => {
        log.warn(`${source}'s events are not replayed among the rebuilt ones (${error.message}); it catches up after`)
        return []
      })
      const events = (Array.isArray(page) ? page : [])
        .flatMap((raw) => {
          const parsed = parseEnvelope(raw)
          return parsed.ok && parsed.envelope.source === source ? [parsed.envelope] : []
        })
        .sort((a, b) => a.seq - b.seq)
      // a source's seqs follow its ids: what was made after the last rebuilt event comes by catch-up
      const before = events.filter((e, i) => e.id < lastId && e.seq === after + 1 + i)
      incoming.push(...before)
      report.interleaved[source] = (report.interleaved[source] ?? 0) + before.length
      if (before.length < CATCH_UP_PAGE) break
      after = before.at(-1)!.seq
    }
  }
  return lists
}

/**
 * Lists each in seq order (one per source) merged in the order their events were made: by the
 * millisecond in their ids (UUIDv7), and within one millisecond the first list's (this service's
 * own) last, as what it made then is more likely an answer to the others' than their cause.
 */
export function inOrderMade([own, ...others]: Envelope[][]): Envelope[] {
  const lists = [...others, own]
  const next = lists.map(() => 0)
  const key = (i: number) => {
    const e = lists[i][next[i]]
    return `${e.id.slice(0, 13)}${i === lists.length - 1 ? '1' : '0'}${e.id}`
  }
  const merged: Envelope[] = []
  for (;;) {
    let pick = -1
    for (let i = 0; i < lists.length; i++) {
      if (next[i] < lists[i].length && (pick < 0 || key(i) < key(pick))) pick = i
    }
    if (pick < 0) return merged
    merged.push(lists[pick][next[pick]++])
  }
}

/** Commits the rebuilt and incoming events in the order given; returns how many reactions were made at the end. */
async function replay<S>(def: ServiceDefinition<S>, store: ServiceStore<S>, events: Envelope[]): Promise<number> {
  const causes = new Set(events.filter((e) => e.source === def.name).map((e) => e.causationId))
  const owed: Envelope[] = []
  const writes: Promise<void>[] = []
  for (const event of events) {
    const state = def.evolve(store.state, event)
    if (event.source === def.name) writes.push(store.commit({state, events: [event]}))
    else {
      writes.push(store.commit({state, incoming: event}))
      if (!causes.has(event.id) && (def.react?.(state, event) ?? []).length > 0) owed.push(event)
    }
  }
  let reactions = 0
  for (const event of owed) {
    const events = stamp(def.name as ServiceName, def.react!(store.state, event), {correlationId: event.correlationId, causationId: event.id}, store.lastSeq)
    reactions += events.length
    if (events.length > 0) writes.push(store.commit({state: events.reduce(def.evolve, store.state), events}))
  }
  await Promise.all(writes)
  return reactions
}

/**
 * Why a store cannot be made whole: which seqs no follower holds whole and who knows them only by
 * their seq. Exit 5 when a follower could not be asked (it may hold them: start it and try
 * again), else 3.
 */
export function unrecoverable(report: RecoveryReport, file: string): GdError {
  const {service, missing, blocked, notAsked} = report
  const m = missing!
  const known = m.knownBy.length > 0 ? `${names(m.knownBy)} know${m.knownBy.length === 1 ? 's' : ''} them only by their seq` : 'no follower holds them'
  const after = blocked ? `, and the ${blocked.count} after them (${range(blocked.from, blocked.to)}) cannot go on without them` : ''
  const asked = notAsked.length > 0 ? `; not asked: ${notAsked.map((n) => `${n.name} (${n.why}): start it and try again`).join(', ')}` : ''
  return new GdError(
    'UNRECOVERABLE',
    `${service} events ${range(m.from, m.to)} (${m.count}) cannot be recovered: ${known}${after}; nothing was written to ${file}${asked}`,
    notAsked.length > 0 ? Exit.unavailable : Exit.refused,
  )
}
