import {GdCommand} from '../cli/base.js'
import {wideFlag} from '../cli/flags.js'
import {statusReport, type StackStatus} from '../cli/tables.js'

export default class Status extends GdCommand<typeof Status> {
  static override description = "Each process of the stack: state, pid, uptime, restarts; the broker's port and the gateway's address"
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json']
  static override flags = {...wideFlag}

  async run(): Promise<StackStatus> {
    const status = await this.call<StackStatus>('GET', '/stack/status')
    return this.show(status, statusReport)
  }
}
