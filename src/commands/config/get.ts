import {Args} from '@oclif/core'

import {envName, settingKeys, type SettingKey, type SettingSource, type SettingValue} from '../../config.js'
import {GdCommand} from '../../cli/base.js'
import {checkKey} from '../../cli/configFile.js'

export default class ConfigGet extends GdCommand<typeof ConfigGet> {
  static override description = `Print one setting's effective value (flag > GDMARKET_* environment > config.json > default)
Works without a running stack. --json adds where the value came from.`
  static override examples = ['<%= config.bin %> config get paymentLimit', '<%= config.bin %> config get port --json']
  static override args = {key: Args.string({description: `setting: ${settingKeys.join(', ')}`, required: true})}

  async run(): Promise<{key: SettingKey; value: SettingValue; source: SettingSource; env: string}> {
    const key = checkKey(this.args.key)
    const {values, sources} = this.settings()
    return this.show({key, value: values[key], source: sources[key], env: envName(key)}, (s) => String(s.value))
  }
}
