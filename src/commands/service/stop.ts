import {ServiceCommand} from '../../cli/serviceCommand.js'

export default class ServiceStop extends ServiceCommand {
  static override description = 'Stop one service gracefully; it stays stopped until started'
  static override examples = ['<%= config.bin %> service stop item']
  protected readonly action = 'stop'
}
