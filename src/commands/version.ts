import {GdCommand} from '../cli/base.js'

export default class Version extends GdCommand<typeof Version> {
  static override description = 'The version of gdmarket, and of the Node.js it runs on (also: gdmarket --version)'
  static override examples = ['<%= config.bin %> version', '<%= config.bin %> version --json']

  async run(): Promise<{version: string; node: string; platform: string}> {
    const about = {version: this.config.version, node: process.version, platform: `${process.platform}-${process.arch}`}
    return this.show(about, (a) => `gdmarket/${a.version} ${a.platform} node-${a.node}`)
  }
}
