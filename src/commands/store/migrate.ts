import {Args, Flags} from '@oclif/core'

import {daemons} from '../../bus/topics.js'
import {GdCommand} from '../../cli/base.js'
import {writeConfigObject} from '../../cli/configFile.js'
import {envName, readConfigObject} from '../../config.js'
import {livePid, readStackFile} from '../../stackFile.js'
import {storeKinds, type StoreKind} from '../../store/storeFiles.js'
import {storeSetting} from '../../store/storeLocation.js'
import type {MigrationReport} from '../../store/storeMigration.js'

export default class StoreMigrate extends GdCommand<typeof StoreMigrate> {
  static override description = `Move a stopped service's store to another kind (json or sqlite), losing nothing
Reads the store whole, writes the new one beside it, checks every record, then switches the service's store setting (paymentStore…) in config.json and keeps the old files under <data-dir>/backup/. Refused with exit 3 while the service runs: stop it first. A migration that dies leaves the old store in charge; run it again.`
  static override examples = ['<%= config.bin %> store migrate payment --to json', '<%= config.bin %> store migrate item --to sqlite --json']
  static override args = {name: Args.string({description: 'whose store', required: true, options: [...daemons]})}
  static override flags = {to: Flags.string({description: 'the kind of store to move it to', required: true, options: [...storeKinds]})}

  async run(): Promise<MigrationReport> {
    const {name} = this.args
    const to = this.flags.to as StoreKind
    const {dir} = this
    const key = storeSetting(name)
    const {values, sources} = this.settings()
    // loaded only here: the services' definitions replay the old store
    const [{migrateStore}, {definitions}] = await Promise.all([import('../../store/storeMigration.js'), import('../../services/definitions.js')])
    const report = await migrateStore(definitions[name as keyof typeof definitions], to, {
      root: dir.root,
      setting: values[key] as StoreKind,
      running: () => livePid(dir.pidFile(name), dir.root, 'services/main.js'),
      switchSetting: (kind) => writeConfigObject(dir.configFile, {...readConfigObject(dir.configFile), [key]: kind}),
    })
    if (sources[key] === 'env') this.note(`note: ${envName(key)} is set in this environment and wins over config.json: unset it, or set it to ${to}`)
    if (readStackFile(dir.stackFile)) this.note(`start it on its new store with \`gdmarket service start ${name}\``)
    return this.show(report, summary)
  }
}

/** What was moved, in one sentence a person reads. */
function summary(r: MigrationReport): string {
  if (r.from === r.to) return `The ${r.service} store is already ${r.to} (${r.file}): nothing to move.`
  if (r.from === null) return `The ${r.service} service has no store yet: it starts one of the ${r.to} kind (${r.file}).`
  const inbox = Object.entries(r.inbox).map(([source, upTo]) => `${source} up to ${upTo}`)
  return (
    `Moved the ${r.service} store from ${r.from} to ${r.to} (${r.file}): ${r.events} event${r.events === 1 ? '' : 's'}, inbox ${inbox.join(', ') || 'empty'}, ` +
    `${r.held} held, ${r.deadLetters} dead letter${r.deadLetters === 1 ? '' : 's'}, ${r.evidence} journal record${r.evidence === 1 ? '' : 's'} kept for its followers; every record checked. ` +
    `The old files are in ${r.backup}.`
  )
}
