import type {Requester} from '../bus/rpc.js'
import {unavailable} from '../errors.js'
import type {Frontier} from '../runtime/barrier.js'
import {healthAnswer, type HealthAnswer} from '../runtime/health.js'
import type {ProcessStatus} from './supervisor.js'

/** How long a probe waits for a service to apply the frontier, and for its answer: a kubelet waits 1 s by default. */
export const PROBE_WAIT_MS = 400
const PROBE_TIMEOUT_MS = 900

/** A service /readyz finds not ready: not online, or online but behind the frontier (or silent). */
export interface NotReady {
  name: string
  state: string
  caughtUp?: false
  /** the services whose latest events it has not applied yet */
  behind?: string[]
}

/**
 * What the gateway asks the daemons about themselves (the runtime's `health` request): for
 * /readyz, with the frontier (has each applied every event the broker accepted before?), and for
 * /metrics, without (its counts). Only the online ones are asked: another would leave the
 * request in its session until the deadline.
 */
export function serviceHealth(requester: Requester, processes: () => ProcessStatus[]) {
  const ask = async (name: string, after?: Frontier): Promise<HealthAnswer> => {
    const onTimeout = () => unavailable('TIMEOUT', `the ${name} service did not say how it is within ${PROBE_TIMEOUT_MS} ms`)
    const answer = await requester.call(name, 'health', {waitMs: after ? PROBE_WAIT_MS : 0}, {timeoutMs: PROBE_TIMEOUT_MS, after, onTimeout})
    return healthAnswer.parse(answer)
  }
  return {
    /** every service that is not ready, with why; none: the stack is ready */
    async notReady(frontier: Frontier): Promise<NotReady[]> {
      const verdicts = await Promise.all(
        processes().map(async ({name, state}): Promise<NotReady | undefined> => {
          if (state !== 'online') return {name, state}
          const health = await ask(name, frontier).catch(() => undefined)
          return health?.caughtUp ? undefined : {name, state, caughtUp: false, behind: health?.behind ?? []}
        }),
      )
      return verdicts.filter((v) => v !== undefined)
    },
    /** each service's counts for /metrics: none for one not online, or that did not answer in time */
    all: (): Promise<{name: string; health?: HealthAnswer}[]> =>
      Promise.all(processes().map(async ({name, state}) => ({name, health: state === 'online' ? await ask(name).catch(() => undefined) : undefined}))),
  }
}

/** The one line /readyz says: `not ready: item (stopped), view (online, catching up with reservation)`. */
export const notReadyLine = (down: NotReady[]): string =>
  `not ready: ${down.map((d) => `${d.name} (${d.state}${d.caughtUp === false ? `, ${d.behind?.length ? `catching up with ${d.behind.join(' and ')}` : 'not answering'}` : ''})`).join(', ')}`
