import {ServiceCommand} from '../../cli/serviceCommand.js'

export default class ServiceRestart extends ServiceCommand {
  static override description = 'Restart one service'
  static override examples = ['<%= config.bin %> service restart item']
  protected readonly action = 'restart'
}
