import {GdCommand} from '../../cli/base.js'
import {readyToRunAlone} from '../../cli/runAlone.js'
import {unavailable} from '../../errors.js'

export default class GatewayRun extends GdCommand<typeof GatewayRun> {
  static override description = `Run the HTTP gateway in the foreground, alone on this host, as a client of an external broker
For systemd and Kubernetes (docs/deploy.md): settings from GDMARKET_* (else config.json; httpHost 0.0.0.0 to serve other hosts), the gateway's broker password from <data-dir>/broker-credentials.json, logs as JSON lines on stdout, SIGTERM stops it gracefully (exit 0). It serves /healthz, /readyz and /metrics; the services run on their own hosts (service run NAME).`
  static override examples = ['GDMARKET_BROKER_URL=mqtt://broker:1883 GDMARKET_HTTP_HOST=0.0.0.0 <%= config.bin %> gateway run --data-dir /var/lib/gdmarket/gateway']

  async run(): Promise<void> {
    readyToRunAlone(this.dir, 'gateway')
    const {runGatewayAlone} = await import('../../stack/gatewayAlone.js')
    const outcome = await new Promise<Parameters<Parameters<typeof runGatewayAlone>[1]>[0]>((resolve, reject) => runGatewayAlone(this.dir.root, resolve).catch(reject))
    if (outcome.type === 'failed') throw unavailable('START_FAILED', outcome.message)
  }
}
