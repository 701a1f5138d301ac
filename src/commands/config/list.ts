import {existsSync} from 'node:fs'

import {envName, settingKeys, settingsTable} from '../../config.js'
import {GdCommand} from '../../cli/base.js'
import {wideFlag} from '../../cli/flags.js'
import {settingsListTable, type SettingRow} from '../../cli/tables.js'

export default class ConfigList extends GdCommand<typeof ConfigList> {
  static override description = `Every setting: its effective value and where it came from (flag > env > file > default)
"env" is a GDMARKET_* environment variable, "file" is <data-dir>/config.json. Works without a running stack; an invalid config.json is named (exit 2).`
  static override examples = ['<%= config.bin %> config list', '<%= config.bin %> config list --json']
  static override flags = {...wideFlag}

  async run(): Promise<SettingRow[]> {
    const {values, sources} = this.settings()
    const rows = settingKeys.map((key) => ({
      key,
      value: values[key],
      source: sources[key],
      default: settingsTable[key].default,
      env: envName(key),
    }))
    return this.show(rows, (rs, layout) => {
      const head = `config file: ${this.dir.configFile}${existsSync(this.dir.configFile) ? '' : ' (absent)'}`
      return `${head}\n${settingsListTable(rs, layout)}`
    })
  }
}
