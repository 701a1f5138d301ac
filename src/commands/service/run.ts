import {Args, Flags} from '@oclif/core'

import {daemons, MAX_VIEW_REPLICAS, type DaemonName} from '../../bus/topics.js'
import {GdCommand} from '../../cli/base.js'
import {readyToRunAlone, replicaOf} from '../../cli/runAlone.js'
import {makePrivate} from '../../paths.js'

export default class ServiceRun extends GdCommand<typeof ServiceRun> {
  static override description = `Run one service in the foreground, alone on this host, on an external broker (no supervisor)
For systemd and Kubernetes (docs/deploy.md): settings from GDMARKET_* (else config.json), the service's broker password from <data-dir>/broker-credentials.json, logs as JSON lines on stdout, SIGTERM stops it gracefully (exit 0). Something else restarts it: exit 78 when a person must fix something first (an unreadable store, a store behind its followers), 75 when its disk cannot be written (try again), 1 on a crash.`
  static override examples = ['GDMARKET_BROKER_URL=mqtt://broker:1883 <%= config.bin %> service run item --data-dir /var/lib/gdmarket/item']
  static override args = {name: Args.string({description: 'service', required: true, options: [...daemons]})}
  static override flags = {
    replica: Flags.integer({
      description: `which replica of the view this is, 1 to ${MAX_VIEW_REPLICAS} (docs/deploy.md#view-replicas): its client id, liveness and store are view-N's; the replicas share the view's requests. Default: GDMARKET_POD_INDEX + 1 (a StatefulSet's pod), else 1`,
      min: 1,
      max: MAX_VIEW_REPLICAS,
    }),
  }

  async run(): Promise<void> {
    const name = this.args.name as DaemonName
    const {replica, process} = replicaOf(name, this.flags.replica)
    readyToRunAlone(this.dir, name, this.dir.pidFile(process))
    makePrivate(this.dir)
    // loaded only here: the daemon's code is no other command's
    const [{runService}, {definitions}] = await Promise.all([import('../../runtime/daemon.js'), import('../../services/definitions.js')])
    await runService(definitions[name], this.dir.root, {alone: true, replica})
  }
}
