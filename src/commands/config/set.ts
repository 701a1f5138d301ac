import {Args} from '@oclif/core'

import {readStackFile} from '../../stackFile.js'
import {envName, type SettingKey, type SettingSource, type SettingValue, settingKeys} from '../../config.js'
import {GdCommand} from '../../cli/base.js'
import {checkKey, parseSettingValue, restartNote, writeConfigObject} from '../../cli/configFile.js'
import {readConfigObject} from '../../config.js'

export default class ConfigSet extends GdCommand<typeof ConfigSet> {
  static override description = `Set a setting in <data-dir>/config.json
The key and value are checked as the daemons check them; a refused value exits 2 and leaves the file untouched. The file is replaced in one step (a temporary file renamed over it). Daemons read their settings when they start: with a stack running, a note names the one to restart (\`gdmarket service restart payment\` for paymentLimit; \`gdmarket down\` and \`gdmarket up\` for port).`
  static override examples = ['<%= config.bin %> config set paymentLimit 500', '<%= config.bin %> config set paymentDelayMs 800']
  static override args = {
    key: Args.string({description: `setting: ${settingKeys.join(', ')}`, required: true}),
    value: Args.string({description: 'value (a whole number, or a word for a choice: json or sqlite for a store)', required: true}),
  }

  async run(): Promise<{key: SettingKey; value: SettingValue; source: SettingSource; file: string}> {
    const key = checkKey(this.args.key)
    const value = parseSettingValue(key, this.args.value)
    const file = this.dir.configFile
    writeConfigObject(file, {...readConfigObject(file), [key]: value})
    const {sources} = this.settings()
    if (sources[key] === 'env') this.note(`note: ${envName(key)} is set in this environment and wins over config.json`)
    if (readStackFile(this.dir.stackFile)) this.note(restartNote(key))
    return this.show({key, value, source: sources[key], file}, (s) => `${s.key} = ${s.value} (in ${s.file})`)
  }
}
