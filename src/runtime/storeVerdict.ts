import {Exit, GdError} from '../errors.js'
import type {SeenMark, StoreTail} from '../store/serviceStore.js'

/**
 * What the services that follow this one have applied of its events, asked at its start
 * (src/runtime/peerCheck.ts), and what that says about its store: whether it is behind, and
 * whether the journal's unterminated last record is kept (docs/guarantees.md).
 */
export interface Evidence {
  /** each follower that answered, with what it has applied of this service's events */
  marks: Map<string, SeenMark>
  /** the followers that could not be asked, and why */
  notAsked: {name: string; why: string}[]
}

/** How much longer than a start `store recover` may take: it reads its followers' journals. */
export const RECOVERY_MS = 120_000

export const highestSeen = (mark: SeenMark): number => Math.max(mark.upTo, ...mark.above, ...mark.held)
export const hasSeen = (mark: SeenMark, seq: number): boolean => seq <= mark.upTo || mark.above.includes(seq) || mark.held.includes(seq)

export interface Verdict {
  /** keep the journal's unterminated last record: a follower has applied one of its events */
  keepTail: boolean
  /** the store's last seq once its tail is settled */
  lastSeq: number
  /** the events its followers have applied that it does not hold */
  behind?: {from: number; to: number; knownBy: string[]}
}

/**
 * The store's last seq against the highest seq any follower has applied. A record at the end that
 * a crash left without its newline is kept only if a follower has applied one of its events (then
 * it was published, so acknowledged), or if some follower could not be asked (it is whole and may
 * have been acknowledged: nobody can say it was not). A torn one cannot be read, so it is dropped;
 * if anyone has seen what it held, the store is behind by that much.
 */
export function judge(store: {lastSeq: number; tail?: StoreTail}, evidence: Evidence): Verdict {
  const marks = [...evidence.marks].sort(([a], [b]) => a.localeCompare(b)) // in the order they answered: said in one
  const own = store.tail?.ownSeqs ?? []
  const seen = own.some((seq) => marks.some(([, mark]) => hasSeen(mark, seq)))
  const keepTail = own.length > 0 && (seen || evidence.notAsked.length > 0)
  const lastSeq = keepTail ? Math.max(store.lastSeq, ...own) : store.lastSeq
  const knownBy = marks.filter(([, mark]) => highestSeen(mark) > lastSeq).map(([name]) => name)
  if (knownBy.length === 0) return {keepTail, lastSeq}
  const to = Math.max(...marks.map(([, mark]) => highestSeen(mark)))
  return {keepTail, lastSeq, behind: {from: lastSeq + 1, to, knownBy}}
}

/** A list of names in words: "item, payment and view". */
export const names = (list: readonly string[]): string => (list.length <= 1 ? list.join('') : `${list.slice(0, -1).join(', ')} and ${list.at(-1)}`)

/** A range of seqs in words: "302–448" or "302". */
export const range = (from: number, to: number): string => (from === to ? `${from}` : `${from}–${to}`)

/**
 * The one-line reason a store behind its followers does not serve: how many events, from the end
 * of which file, who has them, and what to run. `STORE_BEHIND`: the supervisor keeps the stack up
 * and shows the service `errored` with this reason.
 */
export function storeBehind(service: string, behind: NonNullable<Verdict['behind']>, file: string): GdError {
  const count = behind.to - behind.from + 1
  return new GdError(
    'STORE_BEHIND',
    `${count} ${service} event${count === 1 ? ' is' : 's are'} missing from the end of ${file} (seq ${range(behind.from, behind.to)}): ` +
      `${names(behind.knownBy)} ha${behind.knownBy.length === 1 ? 's' : 've'} applied them; the store was left as it is, so it does not serve: ` +
      'rebuild them from its followers',
    Exit.unavailable,
    {command: 'store.recover', service},
  )
}
