import {rmSync} from 'node:fs'

import type {Counters} from './counters.js'
import type {DaemonProcess} from './daemonProcess.js'
import {healthHandler} from './health.js'
import {keepHealthFile, type HealthFile} from './healthFile.js'
import type {ServiceCore} from './serviceCore.js'
import type {ServiceDefinition} from './service.js'

/**
 * What a daemon says of itself (docs/deploy.md#probes-and-metrics): its health file on its own
 * host, for `service check NAME`, and its answer to the gateway's `health` request, for /readyz
 * and /metrics.
 */
export function daemonHealth<S>(def: ServiceDefinition<S>, proc: DaemonProcess<S>, core: ServiceCore<S>, counters: Counters, stopping: () => boolean) {
  const startedAt = Date.now()
  const {store} = proc
  let state: HealthFile['state'] = 'starting'
  const file = keepHealthFile(proc.dir.healthFile(proc.name), {state: () => (stopping() ? 'stopping' : state), behind: () => behindAnnounced(def, proc, core)})
  process.on('exit', () => rmSync(proc.dir.healthFile(proc.name), {force: true}))
  return {
    ready: () => void (state = 'online'),
    /** the broker connection came back, or went */
    connected: () => void (state === 'offline' && (state = 'online')),
    lost: () => void (state === 'online' && (state = 'offline')),
    /** writes the file if what it says changed */
    changed: file.changed,
    handler: healthHandler({
      service: def.name,
      sources: def.follows,
      startedAt,
      lastSeq: () => store.lastSeq,
      appliedUpTo: (source) => store.appliedUpTo(source),
      caughtUp: (frontier, waitMs) => core.barrier.caughtUp(frontier, waitMs),
      counters: () => ({...counters.snapshot(), requests: core.requests.handled}),
    }),
  }
}

/**
 * The followed sources this daemon is behind on by its own knowledge: a gap it holds events
 * above, or less applied than the source announced with its `online`.
 */
function behindAnnounced<S>(def: ServiceDefinition<S>, proc: DaemonProcess<S>, core: ServiceCore<S>): string[] {
  const gaps = proc.store.sourcesWithGaps
  return def.follows.filter((source) => gaps.includes(source) || proc.store.appliedUpTo(source) < (core.watch.announced.get(source) ?? 0))
}
