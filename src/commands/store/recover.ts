import {Args} from '@oclif/core'

import {daemons} from '../../bus/topics.js'
import {GdCommand} from '../../cli/base.js'
import {wideFlag} from '../../cli/flags.js'
import {GatewayClient} from '../../cli/gatewayClient.js'
import {processTable, type ProcessRow} from '../../cli/tables.js'
import type {Layout} from '../../cli/render.js'
import type {RecoveryReport} from '../../runtime/storeRecovery.js'
import {names, range, RECOVERY_MS} from '../../runtime/storeVerdict.js'

interface Recovery {
  /** null: the service was online, checked against its followers when it started */
  report: RecoveryReport | null
  processes: ProcessRow[]
}

export default class StoreRecover extends GdCommand<typeof StoreRecover> {
  static override description =
    "Rebuild what a stopped or errored service's store lost from the services that follow it, then start it (exit 3 when they do not hold it all: nothing is written)"
  static override examples = ['<%= config.bin %> store recover reservation', '<%= config.bin %> store recover reservation --json']
  static override args = {name: Args.string({description: 'whose store', required: true, options: [...daemons]})}
  static override flags = {...wideFlag}

  async run(): Promise<Recovery> {
    const {name} = this.args
    // it reads its followers' journals: longer than any other request may take
    const gateway = new GatewayClient(GatewayClient.of(this.dir).address, RECOVERY_MS + 30_000)
    const result = await gateway.call<Recovery>('POST', `/stack/stores/${name}/recover`)
    return this.show(result, (r, layout) => `${summary(name, r.report)}\n${processTable(r.processes, layout as Layout)}`)
  }
}

/** What was done, in one sentence a person reads. */
function summary(name: string, report: RecoveryReport | null): string {
  if (!report) return `The ${name} service is online: its store was checked against its followers when it started; nothing to recover.`
  const notAsked = report.notAsked.length > 0 ? ` Not asked: ${report.notAsked.map((n) => `${n.name} (${n.why})`).join(', ')}.` : ''
  if (!report.recovered) return `The ${name} store was not behind its followers: nothing was missing; ${name} is online.${notAsked}`
  const {from, to, count} = report.recovered
  const holders = Object.entries(report.from)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([f, n]) => `${f} ${n}`)
  const among = Object.entries(report.interleaved).filter(([, n]) => n > 0)
  return (
    `Recovered ${count} ${name} event${count === 1 ? '' : 's'} (seq ${range(from, to)}) from the copies its followers hold (${names(holders)} of them)` +
    (among.length > 0 ? `, replayed among ${names(among.map(([s, n]) => `${n} of ${s}`))} in the order they were made` : '') +
    (report.reactions > 0 ? `; ${report.reactions} saga reaction${report.reactions === 1 ? '' : 's'} it owed made` : '') +
    `; ${name} is online.${notAsked}`
  )
}
