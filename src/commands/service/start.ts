import {ServiceCommand} from '../../cli/serviceCommand.js'

export default class ServiceStart extends ServiceCommand {
  static override description = 'Start one service (it catches up on the events it missed)'
  static override examples = ['<%= config.bin %> service start item']
  protected readonly action = 'start'
}
