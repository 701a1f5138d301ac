import {existsSync, mkdirSync, statSync} from 'node:fs'
import path from 'node:path'

import {Args, Flags} from '@oclif/core'

import {brokerPasswords} from '../../bus/walls.js'
import {GdCommand} from '../../cli/base.js'
import {numberFlag} from '../../cli/flags.js'
import {badInput} from '../../errors.js'
import {writeBrokerFiles} from '../../stack/brokerFiles.js'
import {checkOwnership} from '../../stack/ownership.js'

interface Written {
  conf: string
  passwd: string
  acl: string
  credentials: string
  url: string
}

export default class BrokerConfig extends GdCommand<typeof BrokerConfig> {
  static override description = `Write Mosquitto's files for this stack: mosquitto.conf, a password file and an ACL, from the topic ownership table
The ACL is the table the embedded broker enforces; the passwords are hashed as mosquitto_passwd does. Each role's password is kept in <data-dir>/broker-credentials.json (0600, made once, never on a command line): copy it to every host's data dir, then \`gdmarket up --broker mqtt://HOST:PORT\`. See docs/deploy.md.`
  static override examples = [
    '<%= config.bin %> broker config /etc/mosquitto/gdmarket',
    '<%= config.bin %> broker config ./broker --port 1884 && mosquitto -c ./broker/mosquitto.conf',
    '<%= config.bin %> broker config ./broker --cert-file server.crt --key-file server.key',
  ]
  static override args = {dir: Args.string({description: 'the folder for the files (made 0700 if new)', required: true})}
  static override flags = {
    port: numberFlag(1, 65_535)({description: 'the port Mosquitto listens on', default: 1883}),
    bind: Flags.string({description: 'the address it listens on (another host needs one it can reach)', default: '127.0.0.1'}),
    'cert-file': Flags.string({description: 'TLS: the listener\'s certificate (PEM); clients then use mqtts:// and --broker-ca-file', dependsOn: ['key-file']}),
    'key-file': Flags.string({description: 'TLS: the listener\'s private key (PEM)', dependsOn: ['cert-file']}),
    user: Flags.string({description: 'the user Mosquitto runs as when started as root (default: its own, mosquitto)'}),
  }

  async run(): Promise<Written> {
    const dir = path.resolve(this.args.dir)
    if (existsSync(dir) && !statSync(dir).isDirectory()) throw badInput(`${dir} is not a directory; name a folder for Mosquitto's files`)
    const {port, bind, user} = this.flags
    const [certFile, keyFile] = [this.flags['cert-file'], this.flags['key-file']]
    for (const file of [certFile, keyFile]) if (file && !existsSync(file)) throw badInput(`${file} does not exist; give the PEM file Mosquitto's TLS listener is to use`)
    // the passwords go into the data dir, as private as `up` keeps it
    checkOwnership(this.dir)
    mkdirSync(this.dir.root, {recursive: true, mode: 0o700})
    const credentials = this.dir.brokerCredentialsFile
    const files = writeBrokerFiles({dir, port, bind, certFile, keyFile, user}, brokerPasswords(credentials))
    const url = `${certFile ? 'mqtts' : 'mqtt'}://${bind}:${port}`
    return this.show({...files, credentials, url}, (w) =>
      [
        `wrote ${w.conf}, ${w.passwd} and ${w.acl}`,
        `passwords: ${w.credentials} (keep it; copy it to the data dir of every host of this stack)`,
        `run: mosquitto -c ${w.conf}`,
        `then: gdmarket up --broker ${w.url}${certFile ? ' --broker-ca-file CA.pem' : ''}`,
      ].join('\n'),
    )
  }
}
