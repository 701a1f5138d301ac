import {existsSync} from 'node:fs'

import {envName, settingKeys, settingsTable, type SettingKey, type SettingSource} from '../../config.js'
import {GdCommand} from '../../cli/base.js'
import {table} from '../../cli/render.js'

interface SettingRow {
  key: SettingKey
  value: number
  source: SettingSource
  default: number
  env: string
}

export default class ConfigList extends GdCommand<typeof ConfigList> {
  static override description = `Every setting: its effective value and where it came from (flag > env > file > default)
"env" is a GDMARKET_* environment variable, "file" is <data-dir>/config.json. Works without a running stack; an invalid config.json is named (exit 2).`
  static override examples = ['<%= config.bin %> config list', '<%= config.bin %> config list --json']

  async run(): Promise<SettingRow[]> {
    const {values, sources} = this.settings()
    const rows = settingKeys.map((key) => ({
      key,
      value: values[key],
      source: sources[key],
      default: settingsTable[key].default,
      env: envName(key),
    }))
    return this.show(rows, (rs) => {
      const head = `config file: ${this.dir.configFile}${existsSync(this.dir.configFile) ? '' : ' (absent)'}`
      return `${head}\n${table(['setting', 'value', 'from', 'default', 'environment variable'], rs.map((r) => [r.key, r.value, r.source, r.default, r.env]))}`
    })
  }
}
