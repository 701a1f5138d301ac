import {parseLiveness} from '../bus/liveness.js'
import type {Log} from './log.js'

export interface LivenessWatchDeps {
  service: string
  follows: readonly string[]
  log: Log
  /** says `online` again, with this process's pid */
  sayOnline(): void
  stopping(): boolean
  poison(why: string, topic: string): void
}

/**
 * The retained liveness messages a daemon watches: its own (a stale will must not leave it
 * `offline` while it runs) and those of the services it follows (the repair asks only those online).
 */
export class LivenessWatch {
  /** the followed services that are online */
  readonly online = new Set<string>()
  /**
   * the followed services their supervisor stopped or gave up on (`stopped`, `errored`): a request
   * to one would only wait for its deadline. `offline` is not among them: that is a crash being
   * healed or a zero-downtime restart, and requests wait in the service's session meanwhile.
   */
  readonly down = new Set<string>()
  /** the last seq each followed service announced with its `online`: applied less than that, this one is catching up */
  readonly announced = new Map<string, number>()

  constructor(private readonly deps: LivenessWatchDeps) {}

  /** A message on gdmarket/status/<name>. */
  observe(topic: string, name: string, payload: Buffer): void {
    const {service, follows, log} = this.deps
    const state = parseLiveness(payload)
    if (name === service) {
      // A predecessor killed with kill -9 can have its will (`offline`) published after we said
      // `online` (the broker notices the dead connection late): say it again. The supervisor's
      // own announcements carry no pid: they are from before this start, not a stale will.
      if (state && state.state !== 'online' && state.pid !== null && state.pid !== process.pid && !this.deps.stopping()) {
        log.warn(`the broker says ${service} is ${state.state} (pid ${state.pid}); it is not: online again`)
        this.deps.sayOnline()
      }
    } else if (follows.includes(name)) {
      if (!state) return this.deps.poison('not a liveness message', topic)
      if (state.state === 'online') this.online.add(name)
      else this.online.delete(name)
      if (state.state === 'online' && state.seq !== undefined) this.announced.set(name, state.seq)
      if (state.state === 'stopped' || state.state === 'errored') this.down.add(name)
      else this.down.delete(name)
    } else this.deps.poison('unexpected topic', topic)
  }
}
