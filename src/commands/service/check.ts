import {Args, Flags} from '@oclif/core'

import {daemons, MAX_VIEW_REPLICAS, type DaemonName} from '../../bus/topics.js'
import {GdCommand} from '../../cli/base.js'
import {replicaOf} from '../../cli/runAlone.js'
import {unavailable} from '../../errors.js'
import type {HealthFile} from '../../runtime/healthFile.js'
import {isAlive} from '../../stackFile.js'

export default class ServiceCheck extends GdCommand<typeof ServiceCheck> {
  static override description = `Exec probe: exit 0 when the NAME service of this data dir is online and caught up; else exit 5 and one line why
Reads <data-dir>/run/NAME.health.json, which the running service keeps up to date: it asks no broker and no gateway, so it runs on the service's own host (a Kubernetes exec probe, a systemd check). With --alive it asks only that the process runs and its event loop turns: a liveness probe, which a lost broker must not fail (a restart would not bring it back). docs/deploy.md#probes-and-metrics`
  static override examples = ['<%= config.bin %> service check item', '<%= config.bin %> service check view --alive']
  static override args = {name: Args.string({description: 'service', required: true, options: [...daemons]})}
  static override flags = {
    replica: Flags.integer({description: 'which replica of the view (as `service run view --replica N`; default: GDMARKET_POD_INDEX + 1, else 1)', min: 1, max: MAX_VIEW_REPLICAS}),
    alive: Flags.boolean({description: 'only that the process runs and its event loop turns (liveness), not that it is online and caught up (readiness)'}),
  }

  async run(): Promise<HealthFile> {
    const {process: name} = replicaOf(this.args.name as DaemonName, this.flags.replica)
    // its zod schema loads for this command only, not with every other (docs/performance.md)
    const {healthProblem, readHealthFile} = await import('../../runtime/healthFile.js')
    const health = readHealthFile(this.dir.healthFile(name))
    const problem = healthProblem(name, health, isAlive, this.flags.alive)
    if (problem) throw unavailable('NOT_READY', problem)
    return this.show(health!, (h) => `${name} (pid ${h.pid}) is ${this.flags.alive ? 'alive' : 'online and caught up'}`)
  }
}
