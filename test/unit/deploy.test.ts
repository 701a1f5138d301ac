import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {Parser} from '@oclif/core'
import {Deployment, StatefulSet} from 'kubernetes-models/apps/v1'
import {HorizontalPodAutoscaler} from 'kubernetes-models/autoscaling/v2'
import {ConfigMap, PersistentVolumeClaim, Service} from 'kubernetes-models/v1'
import {afterAll, describe, expect, it} from 'vitest'
import {parseAllDocuments} from 'yaml'

import {MAX_VIEW_REPLICAS} from '../../src/bus/topics.js'
import {roles} from '../../src/bus/topicGrants.js'
import {runProcess} from '../../src/childProcess.js'
import {COMMANDS} from '../../src/commands/index.js'
import {envName, settingKeys, settingsOf} from '../../src/config.js'
import {aclFile, mosquittoConf} from '../../src/stack/brokerFiles.js'
import type {GatewayDeps} from '../../src/stack/gateway/deps.js'
import {withOpenApi} from '../../src/stack/gateway/openapi.js'
import {gatewayRoutes} from '../../src/stack/gateway/routes.js'
import {OPEN_PATHS} from '../../src/stack/gateway/server.js'

/**
 * The deployment files (docs/deploy.md), checked rather than read by eye: every Kubernetes object
 * against the Kubernetes schemas (kubernetes-models' validate()), every probe and command against
 * the CLI's command registry and the gateway's routes, every setting against src/config.ts, the
 * broker's conf and ACL against what `broker config` writes, and the systemd units with
 * `systemd-analyze verify` where it runs.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))
const k8sDir = path.join(root, 'deploy', 'kubernetes')
const systemdDir = path.join(root, 'deploy', 'systemd')

const models: Record<string, {new (data: object): {validate(): void}}> = {
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
}

type Doc = {apiVersion: string; kind: string; metadata: {name: string}; spec?: any; data?: Record<string, string>}

const docs: {file: string; doc: Doc}[] = readdirSync(k8sDir)
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((file) =>
    parseAllDocuments(readFileSync(path.join(k8sDir, file), 'utf8')).map((d) => {
      if (d.errors.length > 0) throw new Error(`${file}: ${d.errors[0].message}`)
      return {file, doc: d.toJS() as Doc}
    }),
  )
const ofKind = (kind: string) => docs.filter((d) => d.doc.kind === kind).map((d) => d.doc)
/** the Deployments, and the view's StatefulSet (its replicas need a name each: docs/deploy.md#view-replicas) */
const deployments = [...ofKind('Deployment'), ...ofKind('StatefulSet')]
const configMap = ofKind('ConfigMap').find((c) => c.metadata.name === 'gdmarket')!

/** Why `argv` is not a gdmarket command line this CLI takes, or undefined when it is (args and flags parsed as oclif would). */
async function commandProblem(argv: string[]): Promise<string | undefined> {
  if (argv[0] !== 'gdmarket') return `${argv.join(' ')}: not gdmarket`
  const words = argv.slice(1)
  let n = words.length
  while (n > 0 && !Object.hasOwn(COMMANDS, words.slice(0, n).join(':'))) n--
  if (n === 0) return `${argv.join(' ')}: no such command`
  const command = COMMANDS[words.slice(0, n).join(':') as keyof typeof COMMANDS] as unknown as {args?: object; flags?: object; baseFlags?: object}
  try {
    await Parser.parse(words.slice(n), {args: command.args ?? {}, flags: {...command.baseFlags, ...command.flags} as never, strict: true})
    return undefined
  } catch (error) {
    return `${argv.join(' ')}: ${(error as Error).message.split('\n')[0]}`
  }
}

/** The role a container runs as, from its command: `service run NAME` or `gateway run`. */
const roleOf = (command: string[]) => (command[1] === 'gateway' ? 'gateway' : command[3])

const getRoutes = withOpenApi(gatewayRoutes({} as GatewayDeps), () => '')
  .filter((r) => r.method === 'GET')
  .map((r) => r.path)

describe('deploy/kubernetes', () => {
  it('holds only objects valid against the Kubernetes schemas (kubernetes-models)', () => {
    expect(docs.length).toBeGreaterThan(0)
    for (const {file, doc} of docs) {
      const Model = models[`${doc.apiVersion}/${doc.kind}`]
      expect(Model, `${file}: ${doc.apiVersion} ${doc.kind} is one this test knows`).toBeDefined()
      expect(() => new Model(doc).validate(), `${file}: ${doc.kind} ${doc.metadata.name}`).not.toThrow()
    }
  })

  it('runs one Deployment per service and the gateway, each with a command and probes that exist', async () => {
    const commands = deployments.flatMap((d) => d.spec.template.spec.containers.filter((c: any) => c.command[0] === 'gdmarket').map((c: any) => c.command.join(' ')))
    expect(commands.sort()).toEqual(['gdmarket gateway run', ...['item', 'payment', 'reservation', 'view'].map((n) => `gdmarket service run ${n}`)])
    for (const d of deployments) {
      for (const c of d.spec.template.spec.containers) {
        if (c.command[0] === 'gdmarket') expect(await commandProblem(c.command)).toBeUndefined()
        expect(c.livenessProbe, `${d.metadata.name}: liveness`).toBeDefined()
        expect(c.readinessProbe, `${d.metadata.name}: readiness`).toBeDefined()
        for (const probe of [c.startupProbe, c.livenessProbe, c.readinessProbe].filter(Boolean)) {
          if (probe.exec) {
            expect(await commandProblem(probe.exec.command), d.metadata.name).toBeUndefined()
            // a probe checks the service its container runs
            expect(probe.exec.command.slice(1, 4)).toEqual(['service', 'check', roleOf(c.command)])
          } else if (probe.httpGet) {
            expect(getRoutes, `${d.metadata.name}: GET ${probe.httpGet.path} is a gateway route`).toContain(probe.httpGet.path)
            expect(OPEN_PATHS.has(probe.httpGet.path), `${probe.httpGet.path} wants no token: a kubelet has none`).toBe(true)
            const port = c.ports.find((p: any) => p.name === probe.httpGet.port)
            expect(String(port?.containerPort), `${d.metadata.name}: the probe's port is the gateway's`).toBe(configMap.data!.GDMARKET_HTTP_PORT)
          } else expect(probe.tcpSocket, d.metadata.name).toBeDefined()
        }
      }
    }
  })

  it("gives each process only its role's broker password, and each writer its own volume, one replica, replaced by stopping it first", () => {
    const claims = ofKind('PersistentVolumeClaim').map((p) => p.metadata.name)
    const claimed: string[] = []
    for (const d of deployments) {
      const {containers, volumes} = d.spec.template.spec
      const command = containers[0].command
      if (command[0] !== 'gdmarket') continue
      const secrets = volumes.filter((v: any) => v.secret).map((v: any) => v.secret.secretName)
      expect(secrets, d.metadata.name).toEqual([`gdmarket-broker-${roleOf(command)}`])
      expect(roles).toContain(roleOf(command))
      const pvcs = volumes.filter((v: any) => v.persistentVolumeClaim).map((v: any) => v.persistentVolumeClaim.claimName)
      claimed.push(...pvcs)
      if (pvcs.length > 0) expect([d.spec.replicas, d.spec.strategy?.type], `${d.metadata.name} writes a store`).toEqual([1, 'Recreate'])
    }
    // a store each for the writers; the view's is rebuilt from the events, so each replica keeps one in an emptyDir
    expect(claimed.sort()).toEqual(claims.sort())
    expect(claims.sort()).toEqual(['gdmarket-item-data', 'gdmarket-payment-data', 'gdmarket-reservation-data'])
  })

  it('scales the view with a HorizontalPodAutoscaler, and has a Service for the gateway and the broker', () => {
    const autoscalers = ofKind('HorizontalPodAutoscaler')
    expect(autoscalers.map((h) => h.spec.scaleTargetRef)).toEqual([{apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'gdmarket-view'}])
    // no more replicas than the ownership table names; each pod knows which it is
    expect(autoscalers[0].spec.maxReplicas).toBe(MAX_VIEW_REPLICAS)
    const view = ofKind('StatefulSet').find((s) => s.metadata.name === 'gdmarket-view')!
    expect(view.spec.template.spec.containers[0].env).toContainEqual({name: 'GDMARKET_POD_INDEX', valueFrom: {fieldRef: {fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']"}}})
    const services = ofKind('Service')
    expect(services.map((s) => s.metadata.name).sort()).toEqual(['gdmarket-broker', 'gdmarket-gateway'])
    for (const s of services) {
      const target = deployments.find((d) => d.spec.template.metadata.labels['app.kubernetes.io/name'] === s.spec.selector['app.kubernetes.io/name'])
      expect(target, `${s.metadata.name} selects a Deployment`).toBeDefined()
      const named = target!.spec.template.spec.containers.flatMap((c: any) => c.ports ?? []).map((p: any) => p.name)
      for (const port of s.spec.ports) expect(named).toContain(port.targetPort)
    }
  })

  it("sets only settings of src/config.ts, each valid; the broker's conf and ACL are what broker config writes", () => {
    expect(settingsProblem(configMap.data!)).toBeUndefined()
    expect(configMap.data!.GDMARKET_BROKER_URL).toBe('mqtt://gdmarket-broker:1883')
    const broker = ofKind('ConfigMap').find((c) => c.metadata.name === 'gdmarket-broker')!
    expect(broker.data!['mosquitto.conf']).toBe(mosquittoConf({dir: '/mosquitto/secret', port: 1883, bind: '0.0.0.0'}))
    expect(broker.data!.acl).toBe(aclFile())
  })
})

/** Why a set of GDMARKET_* variables is not what src/config.ts takes, or undefined. */
function settingsProblem(env: Record<string, string>): string | undefined {
  const known = new Set([...settingKeys.map(envName), 'GDMARKET_DATA_DIR'])
  const unknown = Object.keys(env).filter((k) => !known.has(k))
  if (unknown.length > 0) return `unknown: ${unknown.join(', ')}`
  try {
    settingsOf({}, 'config.json', {}, env)
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

const units = readdirSync(systemdDir).filter((f) => f.endsWith('.service'))
const directive = (unit: string, name: string) => [...unit.matchAll(new RegExp(`^${name}=(.*)$`, 'gm'))].map((m) => m[1])
const scratch = mkdtempSync(path.join(tmpdir(), 'gdmarket-units-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

describe('deploy/systemd', () => {
  it('has one unit per process, each running a command that exists with a data dir of its own, and settings that are known', async () => {
    expect(units.sort()).toEqual(['gateway', 'item', 'payment', 'reservation', 'view'].map((n) => `gdmarket-${n}.service`))
    const dataDirs = new Set<string>()
    for (const file of units) {
      const unit = readFileSync(path.join(systemdDir, file), 'utf8')
      const [exec] = directive(unit, 'ExecStart')
      expect(exec.startsWith('/usr/bin/gdmarket '), file).toBe(true)
      expect(await commandProblem(['gdmarket', ...exec.split(' ').slice(1)])).toBeUndefined()
      expect(directive(unit, 'RestartPreventExitStatus'), `${file}: 2 and 78 are for a person to fix`).toEqual(['2 78'])
      expect(directive(unit, 'EnvironmentFile')).toEqual(['/etc/gdmarket/gdmarket.env'])
      dataDirs.add(directive(unit, 'Environment').find((e) => e.startsWith('GDMARKET_DATA_DIR='))!)
    }
    expect(dataDirs.size).toBe(units.length)
    const env = Object.fromEntries(
      readFileSync(path.join(systemdDir, 'gdmarket.env'), 'utf8')
        .split('\n')
        .filter((l) => l.trim() && !l.startsWith('#'))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    )
    expect(settingsProblem(env)).toBeUndefined()
  })

  it('passes systemd-analyze verify (and a broken unit does not: the check is real)', async (context) => {
    const verify = async (file: string) => {
      try {
        const {code, stdout, stderr} = await runProcess('systemd-analyze', ['verify', file], {env: {PATH: process.env.PATH}})
        return {code, output: (stdout + stderr).trim()}
      } catch {
        return undefined // not installed
      }
    }
    const copies = units.map((file) => {
      // verify wants ExecStart's program to be there: this checkout's CLI stands in for the installed one
      const unit = readFileSync(path.join(systemdDir, file), 'utf8').replaceAll('/usr/bin/gdmarket', path.join(root, 'bin', 'run.js'))
      writeFileSync(path.join(scratch, file), unit)
      return path.join(scratch, file)
    })
    const first = await verify(copies[0])
    if (!first) {
      console.warn('deploy/systemd: systemd-analyze verify skipped: systemd-analyze is not installed')
      return context.skip()
    }
    for (const copy of copies) expect(await verify(copy), path.basename(copy)).toEqual({code: 0, output: ''})
    writeFileSync(path.join(scratch, 'gdmarket-broken.service'), readFileSync(copies[0], 'utf8').replace('Restart=on-failure', 'Restart=sometimes'))
    expect((await verify(path.join(scratch, 'gdmarket-broken.service')))?.output).toMatch(/Restart|restart/)
  })
})
