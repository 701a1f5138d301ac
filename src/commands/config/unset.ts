import {Args} from '@oclif/core'

import {readStackFile} from '../../stackFile.js'
import {settingKeys, type SettingKey, type SettingSource, type SettingValue} from '../../config.js'
import {GdCommand} from '../../cli/base.js'
import {checkKey, restartNote, writeConfigObject} from '../../cli/configFile.js'
import {readConfigObject} from '../../config.js'

export default class ConfigUnset extends GdCommand<typeof ConfigUnset> {
  static override description = `Remove a setting from <data-dir>/config.json: the environment or the default applies again
Also removes an unknown key someone wrote into the file. Fine when it is not set. Daemons read their settings when they start (\`gdmarket service restart NAME\`).`
  static override examples = ['<%= config.bin %> config unset paymentLimit']
  static override args = {key: Args.string({description: `setting: ${settingKeys.join(', ')}`, required: true})}

  async run(): Promise<{key: string; removed: boolean; value: SettingValue | null; source: SettingSource | null}> {
    const file = this.dir.configFile
    const {[this.args.key]: old, ...rest} = readConfigObject(file)
    const removed = old !== undefined
    // a key that is in the file may always go, known or not: that is how a bad file gets fixed
    const key = removed ? this.args.key : checkKey(this.args.key)
    if (removed) writeConfigObject(file, rest, {validate: false})
    else this.note(`${key} is not set in ${file}`)
    const known = (settingKeys as string[]).includes(key)
    // a key no daemon reads changes nothing that runs
    if (removed && known && readStackFile(this.dir.stackFile)) this.note(restartNote(key))
    // what applies now; when other entries of the file are still wrong there is nothing to show yet
    const now = known ? this.effective(key as SettingKey) : undefined
    const result = {key, removed, value: now?.value ?? null, source: now?.source ?? null}
    return this.show(result, (r) => {
      const now = !known
        ? 'it is no setting of gdmarket, so nothing else changes'
        : r.value === null
          ? 'config.json still has a problem (see `gdmarket config list`)'
          : `now ${r.value} (${r.source})`
      return r.removed ? `${r.key} removed from config.json; ${now}` : now
    })
  }

  private effective(key: SettingKey): {value: SettingValue; source: SettingSource} | undefined {
    try {
      const {values, sources} = this.settings()
      return {value: values[key], source: sources[key]}
    } catch {
      return undefined
    }
  }
}
