import {GdCommand} from '../cli/base.js'
import {notRunning} from '../cli/stackAccess.js'
import {readStackFile} from '../stackFile.js'
import {readHttpToken} from '../bus/walls.js'

export default class Token extends GdCommand<typeof Token> {
  static override description = `Print the bearer token of the gateway's TCP port (new at every \`up\`)
HTTP clients on 127.0.0.1:httpPort send it as \`Authorization: Bearer TOKEN\` (HTTPie: \`http -A bearer -a TOKEN …\`). The CLI needs none: it uses the gateway's Unix socket, which only its owner can open. Read from <data-dir>/run/credentials.json (0600).`
  static override examples = ['<%= config.bin %> token', 'curl -H "Authorization: Bearer $(<%= config.bin %> token)" 127.0.0.1:8080/items']

  async run(): Promise<{token: string}> {
    if (!readStackFile(this.dir.stackFile)) throw notRunning(this.dir)
    const token = readHttpToken(this.dir.credentialsFile)
    if (!token) throw notRunning(this.dir)
    return this.show({token}, (t) => t.token)
  }
}
