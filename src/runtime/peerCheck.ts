import {setTimeout as sleep} from 'node:timers/promises'

import type {SeenMark} from '../store/serviceStore.js'
import type {Log} from './log.js'
import type {Evidence} from './storeVerdict.js'
import {seenMark} from './witness.js'

export interface PeerCheckDeps {
  service: string
  followers: readonly string[]
  /** asks one follower what it has applied of this service's events; rejects if it does not answer in time */
  ask(follower: string): Promise<unknown>
  /** a follower's retained liveness state, if any: a stopped or errored one is not waited for */
  stateOf(follower: string): string | undefined
  /** how long followers that do not answer are asked again */
  boundMs: number
  /** how often one that has not answered is asked again (a question sent before it subscribed is lost) */
  retryMs: number
  log: Log
}

/**
 * Asks every follower what it has seen of this service, again and again until each answered, is
 * stopped or errored (it cannot answer), or `boundMs` has passed: at `up` all daemons start
 * together, and a request to one that has not subscribed yet is lost. A follower that is still
 * starting answers at once: its witness line serves `seen` before its own check is done.
 */
export async function gatherEvidence(deps: PeerCheckDeps): Promise<Evidence> {
  const marks = new Map<string, SeenMark>()
  const notAsked: Evidence['notAsked'] = []
  const open = () => deps.followers.filter((f) => !marks.has(f) && !notAsked.some((n) => n.name === f))
  const until = Date.now() + deps.boundMs
  let wake = () => {}
  while (open().length > 0 && Date.now() < until) {
    for (const follower of open()) {
      const state = deps.stateOf(follower)
      if (state === 'stopped' || state === 'errored') {
        notAsked.push({name: follower, why: state})
        continue
      }
      // asked again every round while it has not answered: the first answer counts
      deps
        .ask(follower)
        .then((answer) => {
          const parsed = seenMark.safeParse(answer)
          if (parsed.success) marks.set(follower, parsed.data)
          else deps.log.warn(`${follower} answered \`seen\` with something else; asking again`)
          wake()
        })
        .catch(() => {}) // not subscribed yet, or slow: asked again
    }
    await Promise.race([sleep(deps.retryMs), new Promise<void>((resolve) => (wake = resolve))])
  }
  for (const follower of open()) notAsked.push({name: follower, why: `no answer within ${deps.boundMs} ms`})
  const asked = [...marks.keys()]
  deps.log.info(
    `checked the store against its followers: ${asked.map((f) => `${f} has applied up to ${marks.get(f)!.upTo}`).join(', ') || 'none answered'}` +
      (notAsked.length > 0 ? `; not asked: ${notAsked.map((n) => `${n.name} (${n.why})`).join(', ')}` : ''),
  )
  return {marks, notAsked}
}
