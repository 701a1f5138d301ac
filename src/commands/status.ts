import {GdCommand} from '../cli/base.js'
import {statusReport, type StackStatus} from '../cli/tables.js'
import {SUPERVISOR} from '../bus/topics.js'

export default class Status extends GdCommand<typeof Status> {
  static override description = "Each process of the stack: state, pid, uptime, restarts; and the broker's port"
  static override examples = ['<%= config.bin %> status', '<%= config.bin %> status --json']

  async run(): Promise<StackStatus> {
    const status = await this.request<StackStatus>(SUPERVISOR, 'status')
    return this.show(status, statusReport)
  }
}
