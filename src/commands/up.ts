import {spawn} from 'node:child_process'
import {closeSync, fchmodSync, mkdirSync, openSync} from 'node:fs'
import path from 'node:path'

import {Flags} from '@oclif/core'

import {caFileLine, caFileProblem} from '../bus/caFile.js'
import {noBrokerPasswords, readBrokerPasswords} from '../bus/walls.js'
import {loadSettings, settingProblem} from '../config.js'
import {STACK_NODE_FLAGS} from '../stack/nodeFlags.js'
import {checkOwnership} from '../stack/ownership.js'
import type {StartOutcome} from '../stack/stack.js'
import {readStackFile} from '../stackFile.js'
import {GdCommand} from '../cli/base.js'
import {numberFlag} from '../cli/flags.js'
import {invocation} from '../cli/invocation.js'
import {rememberStack, stacksNear} from '../cli/knownStacks.js'
import {withNextLine} from '../cli/nextLine.js'
import {badInput, unavailable} from '../errors.js'
import {dataDirHint, distFile, type DataDir} from '../paths.js'

/** What `up --broker` needs before it starts anything: the passwords its files were written for, and a CA file that is there. */
function externalBrokerReady(dir: DataDir, caFile: string): void {
  if (!readBrokerPasswords(dir.brokerCredentialsFile)) throw badInput(`${noBrokerPasswords(dir.brokerCredentialsFile)}: \`gdmarket broker config DIR\``)
  const problem = caFile ? caFileProblem(caFile) : undefined
  if (problem) throw badInput(caFileLine(caFile, problem, '--broker-ca-file'))
}

/**
 * The stack runs from one-file bundles of the supervisor and of a daemon (`npm run bundle`, part of
 * the build): 14 MB less memory a process and half the module loading time of the compiled modules.
 * The supervisor forks daemons from beside itself, so a bundled supervisor runs bundled daemons.
 * GDMARKET_UNBUNDLED=1 runs the compiled modules instead (CPU profiles then name each package).
 */
const supervisorMain = () => distFile(process.env.GDMARKET_UNBUNDLED ? 'stack/main.js' : 'bundle/stack/main.js')

interface UpResult {
  pid: number
  port: number
  httpPort: number
  dataDir: string
  alreadyRunning: boolean
}

export default class Up extends GdCommand<typeof Up> {
  static override description = 'Start the stack: supervisor with broker and HTTP gateway, item, reservation and payment services, view projector'
  static override examples = ['<%= config.bin %> up', '<%= config.bin %> up --http-port 8088', '<%= config.bin %> up --foreground']
  static override flags = {
    port: numberFlag(0, 65_535)({description: 'broker port on 127.0.0.1; 0 picks any free port (default: setting port)'}),
    'http-port': numberFlag(0, 65_535)({description: 'HTTP gateway port on 127.0.0.1; 0 picks any free port (default: setting httpPort, 8080)'}),
    foreground: Flags.boolean({description: 'run the supervisor in this terminal until Ctrl-C'}),
    broker: Flags.string({
      parse: async (url) => {
        const problem = settingProblem('brokerUrl', url)
        if (problem) throw new Error(problem)
        return url
      },
      description: 'an external MQTT broker instead of the embedded one: mqtt://HOST:PORT or mqtts://HOST:PORT; its passwords are read from <data-dir>/broker-credentials.json (`gdmarket broker config DIR`; docs/deploy.md) (default: setting brokerUrl)',
    }),
    'broker-ca-file': Flags.string({description: 'the CA certificate (PEM) an mqtts:// broker is checked against (default: setting brokerCaFile, else the system\'s CAs)'}),
  }

  async run(): Promise<UpResult> {
    const {dir} = this
    checkOwnership(dir)
    // validates config.json before starting anything
    const flags = {port: this.flags.port, httpPort: this.flags['http-port'], brokerUrl: this.flags.broker, brokerCaFile: this.flags['broker-ca-file']}
    const {port, httpPort, brokerUrl, brokerCaFile} = loadSettings(dir.configFile, flags).values
    if (brokerUrl) externalBrokerReady(dir, brokerCaFile)
    else if (this.flags['broker-ca-file']) throw badInput('--broker-ca-file is the CA of an mqtts:// broker: give --broker mqtts://HOST:PORT with it, or leave it out for the embedded broker')
    // the supervisor and its daemons use the broker chosen here, whatever config.json says later
    process.env.GDMARKET_BROKER_URL = brokerUrl
    process.env.GDMARKET_BROKER_CA_FILE = brokerCaFile && path.resolve(brokerCaFile)
    const running = readStackFile(dir.stackFile)
    if (running) {
      rememberStack(dir.root)
      this.note(`gdmarket is already running for ${dir.root} (pid ${running.pid}, gateway http://127.0.0.1:${running.httpPort})`)
      return {pid: running.pid, port: running.port, httpPort: running.httpPort, dataDir: dir.root, alreadyRunning: true}
    }

    const began = Date.now()
    const outcome = this.flags.foreground ? await this.foreground(port, httpPort) : await this.detached(port, httpPort)
    if (outcome.type === 'failed') throw unavailable('START_FAILED', outcome.message, outcome.next)
    rememberStack(dir.root) // so a command pointed elsewhere can say where it runs, and `gdmarket stacks` lists it
    const [errored] = outcome.errored ?? []
    if (errored) {
      // the stack stays up: the store is rebuilt from the services that follow it, through it
      const failure = unavailable('STORE_BEHIND', `the stack is up, but the ${errored.name} service is errored and does not serve: ${errored.message}`, errored.next)
      if (!this.flags.foreground) throw failure
      this.note(`gdmarket: ${withNextLine(failure.message, failure.next)}`)
    } else {
      this.note(
        `gdmarket is up: gateway on http://127.0.0.1:${outcome.httpPort}, broker on ${brokerUrl || `127.0.0.1:${outcome.port}`}, data dir ${dir.root}, all services ready in ${Date.now() - began} ms`,
      )
    }
    // `up --data-dir ~/tour` beside a stack in ~/tour/data: a second market, which is rarely what was meant
    const near = stacksNear(dir.root).map((s) => s.dataDir)
    if (near.length > 0) this.note(`note: another stack runs in ${near.join(' and ')}; this one is a market of its own (\`gdmarket stacks\` lists them)`)
    if (this.flags.foreground) this.note('Press Ctrl-C to stop.')
    else {
      // the command as it runs from here: `gdmarket` may not be on the PATH yet (README: on a fresh machine)
      const g = invocation({PATH: process.env.PATH ?? '', cwd: process.cwd(), bin: path.join(this.config.root, 'bin', 'run.js'), root: this.config.root})
      const d = dataDirHint(dir.root)
      this.note(`Try: ${g} status${d} · ${g} item register --name Camera --price 100${d} · ${g} view${d}`)
    }
    return {pid: outcome.pid, port: outcome.port, httpPort: outcome.httpPort, dataDir: dir.root, alreadyRunning: false}
  }

  /** The supervisor runs in this process; it stops on Ctrl-C. */
  private async foreground(port: number, httpPort: number): Promise<StartOutcome> {
    const {runStack} = await import('../stack/stack.js')
    return new Promise((resolve, reject) => runStack(this.dir.root, {port, httpPort}, resolve).catch(reject))
  }

  /** The supervisor runs detached with its output in logs/supervisor.log; it tells us over IPC how the start went. */
  private async detached(port: number, httpPort: number): Promise<StartOutcome> {
    const {dir} = this
    mkdirSync(dir.logsDir, {recursive: true, mode: 0o700})
    const log = openSync(dir.log('supervisor'), 'a', 0o600)
    fchmodSync(log, 0o600)
    const child = spawn(process.execPath, [...STACK_NODE_FLAGS, supervisorMain(), dir.root, String(port), String(httpPort)], {
      detached: true,
      stdio: ['ignore', log, log, 'ipc'],
      env: process.env,
    })
    closeSync(log)
    const outcome = await new Promise<StartOutcome>((resolve) => {
      child.once('message', (message) => resolve(message as StartOutcome))
      child.once('exit', (code) =>
        resolve({type: 'failed', message: `the supervisor exited (code ${code}) while starting; see ${dir.log('supervisor')}`}),
      )
    })
    if (child.connected) child.disconnect()
    child.unref()
    return outcome
  }
}
