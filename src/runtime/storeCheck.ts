import type {BrokerAddress} from '../bus/connect.js'
import {followersOf} from '../bus/topics.js'
import {ServiceStore} from '../store/serviceStore.js'
import type {Log} from './log.js'
import {gatherEvidence} from './peerCheck.js'
import type {ServiceDefinition} from './service.js'
import {recoverStore, unrecoverable, type RecoveryReport} from './storeRecovery.js'
import {judge, storeBehind} from './storeVerdict.js'
import {WITNESS_PAGE} from './witness.js'
import {openWitnessLine, type WitnessLine} from './witnessLine.js'

/** How long a starting daemon keeps asking followers that do not answer (one that is starting answers within a second). */
export const PEER_CHECK_MS = 5000
/** How long one `seen` or `witness` question waits for its answer. */
const ASK_MS = 1000
/** Recovery's pages can be long to read: a follower reads its journals from disk for each. */
const PAGE_MS = 10_000

export interface CheckedStoreOptions {
  file: string
  broker: BrokerAddress
  password: string
  log: Log
  /** `store recover`: rebuild what is missing instead of refusing */
  recover: boolean
}

/**
 * Opens a daemon's store and judges it against what its followers have seen of it, before the
 * daemon takes up its broker session (docs/guarantees.md, "a store behind its followers"). Throws
 * STORE_BEHIND when they have applied events it does not hold (the files untouched), or, when
 * recovering, UNRECOVERABLE when they do not hold them all whole. Otherwise the journal's tail is
 * settled and the store is ready to be written.
 */
export async function openCheckedStore<S>(def: ServiceDefinition<S>, options: CheckedStoreOptions): Promise<{store: ServiceStore<S>; recovery?: RecoveryReport}> {
  const {log} = options
  const store = await ServiceStore.open(def.name, options.file, def.initialState, def.evolve)
  const followers = followersOf(def.name)
  const nothing = (): RecoveryReport => ({service: def.name, recovered: null, from: {}, interleaved: {}, reactions: 0, missing: null, blocked: null, notAsked: []})
  if (followers.length === 0) {
    // nobody applies its events: nothing can be behind, and its records can all come again
    await store.settleTail(false)
    return {store, recovery: options.recover ? nothing() : undefined}
  }
  const line = await openWitnessLine({service: def.name, broker: options.broker, password: options.password, store: store as ServiceStore<unknown>, log, watch: followers})
  try {
    const evidence = await gatherEvidence({
      service: def.name,
      followers,
      ask: (follower) => line.ask(follower, 'seen', {source: def.name}, ASK_MS),
      stateOf: (follower) => line.stateOf(follower),
      boundMs: PEER_CHECK_MS,
      retryMs: 100,
      log,
    })
    const verdict = judge(store, evidence)
    const file = store.lossFile
    if (!verdict.behind) {
      await store.settleTail(verdict.keepTail)
      return {store, recovery: options.recover ? {...nothing(), notAsked: evidence.notAsked} : undefined}
    }
    if (!options.recover) throw storeBehind(def.name, verdict.behind, file)
    const report = await recoverStore({
      def,
      store,
      evidence,
      verdict: {...verdict, behind: verdict.behind},
      witness: (follower, afterSeq) => line.ask(follower, 'witness', {source: def.name, afterSeq, limit: WITNESS_PAGE}, PAGE_MS),
      history: (source, afterSeq, beforeSeq) => line.ask(source, 'history', {afterSeq, beforeSeq}, PAGE_MS),
      log,
    })
    if (report.missing) throw unrecoverable(report, file)
    return {store, recovery: report}
  } finally {
    await closeQuietly(line)
  }
}

async function closeQuietly(line: WitnessLine): Promise<void> {
  await line.close().catch(() => {})
}
