#!/usr/bin/env node
/**
 * Regenerates every sample output in README.md and docs/*.md, so they cannot drift from the code:
 * the fenced console block between `<!-- sample: NAME -->` and `<!-- /sample -->`, filled by the
 * steps below. Run `npm run build` first: this script builds nothing, it runs bin/run.js.
 *
 * Two stacks in a temporary directory (every command's cwd): `data` for the tour (./data there, so
 * samples leave --data-dir out) and `web` for the original's HTTPie session, which needs a fresh
 * item 1. Commands get only PATH, HOME, NO_COLOR=1 and an XDG_STATE_HOME in the temporary directory
 * (never your GDMARKET_* variables, nor your registry of running stacks); stdout and
 * stderr share one file, interleaved as on a terminal. Without `http` the HTTPie samples are left
 * as they are, with a warning. Both stacks are stopped and the directory removed at the end, also
 * after an error or Ctrl-C. A command with an unexpected exit code stops it all: nothing is written.
 * Not made here: the wizard sessions of docs/wizard.md (a terminal: WIZARD_TRANSCRIPT=FILE with
 * test/e2e/wizard.test.ts) and the benchmark run of docs/performance.md (npm run bench).
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {fileURLToPath} from 'node:url'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(repo, 'bin', 'run.js')
if (!fs.existsSync(path.join(repo, 'dist'))) {
  console.error('samples: dist/ is missing; run `npm run build` first (this script builds nothing)')
  process.exit(1)
}
// loaded only now, so that a missing dist/ gets the line above instead of a module-not-found error
const {runProcess} = await import('../dist/childProcess.js')
const env = {PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1'}
const hasHttpie = await runProcess('http', ['--version'], {env}).then((result) => result.code === 0, () => false)

// A step is a gdmarket command line (`http …`: an HTTPie one, {port} the web stack's gateway), or
// [line, options]: expect N (exit code, default 0) · echo (show `echo $?`) · quiet (stdout to
// /dev/null, shown so) · env {…} (shown as a prefix) · cwd · noDataDir · stdin (shown) · web (the
// web stack, shown as --data-dir web) · stopAfterMs (then SIGINT, shown as ^C) · meanwhile (a
// gdmarket line run 1 s into this one) · file (writes it in the temp dir, shown as `cat`).
// A block is a name, a list of names (the step shows in each), or null (setup, not shown).
const blocks = (block, ...lines) => lines.map((l) => ({block, ...(Array.isArray(l) ? {line: l[0], ...l[1]} : {line: l})}))
const wrongYaml = `name: a deliberately wrong expectation
steps:
  - run: item register --name Camera --price 100
    save: { item: itemNo }
  - run: reserve \${item} --customer Young
  - run: view
    expect: [ { itemNo: "\${item}", itemStatus: Rentable } ]
    within: 2s
  - run: pay 1
`
const typoYaml = 'name: a misspelt variable\nsteps:\n  - run: item register --name Camera --price 100\n    save: { item: itemNo }\n  - run: reserve ${itme} --customer Young\n'
const quiet = {quiet: true}
const web = {web: true}
const steps = [
  // README: the short tour
  ...blocks('tour', 'up --port 0 --http-port 0', 'item register --name Camera --price 100', 'reserve 1 --customer Young --customer-id young01', 'pay 1', 'lend 1', 'view'),
  // docs/commands.md
  ...blocks('return', 'return 1', 'reservation show 1 --json'),
  ...blocks('cancels', 'item register --name Tent --price 40', 'reserve 2 --customer Kim', 'pay 2', 'payment cancel 2', 'reservation cancel 2'),
  ...blocks('lists', 'payment list', 'reservation list', 'item list --json'),
  ...blocks('tables', 'reservation list --columns res,item,customer,status', 'reservation list --wide'),
  ...blocks('delete', 'item delete 2'),
  ...blocks('refusals', ['lend 1', {expect: 3}], ['reserve 7 --customer Kim --json', {expect: 4}], ['item register --name Lamp --price 0', {expect: 2, echo: true}]),
  ...blocks('mistyped', ['reserv 1 --customer Kim', {expect: 2}], ['item regster --name Lamp --price 5', {expect: 2}], ['item frobnicate', {expect: 2}], ['view 999', {expect: 2, echo: true}]),
  ...blocks('service-down', 'service stop item', 'reserve 1 --customer Lee', ['item show 1', {expect: 5}], 'service start item', 'item show 1 --json'),
  ...blocks('restart', 'service restart payment'), ...blocks('status-json', 'status --json'),
  // docs/operations.md
  ...blocks('status', 'status'), ...blocks('trace', 'trace 1'),
  ...blocks('events', 'events', 'events --type PaymentApproved --type PaymentCancelled --json'),
  ...blocks('events-follow', ['events --follow --limit 2', {stopAfterMs: 3000, meanwhile: 'item register --name Lamp --price 5'}]),
  ...blocks('trace-force', ['reserve 3 --customer Kim', quiet], ['pay 4', quiet], 'item delete 3 --force', 'trace 4'),
  ...blocks('events-stopped', ['service stop payment', quiet], 'events --limit 3', ['service start payment', quiet]),
  ...blocks('config', 'config set paymentLimit 500', ['config set paymentLimit lots', {expect: 2, echo: true}]),
  ...blocks('config', ['config list', {env: {GDMARKET_PAYMENT_DELAY_MS: '200'}}], 'config get paymentLimit', 'config unset paymentLimit'),
  ...blocks('load-payment-down', ['service stop payment', quiet], 'load --duration 2s --concurrent 4', ['service start payment', quiet]),
  ...blocks(null, ['service restart reservation', quiet]), // a fresh circuit breaker for what follows
  ...blocks('load', 'load --duration 3s'), ...blocks('load-json', 'load --cycles 20 --concurrent 4 --json'),
  // docs/guarantees.md: the breaker opens, then closes again
  ...blocks('breaker', 'config set breakerResetTimeoutMs 3000', 'config set paymentDelayMs 1000', ['service restart reservation', quiet]),
  ...blocks('breaker', ['service restart payment', quiet], 'load --duration 3s --concurrent 4', 'status', 'config unset paymentDelayMs'),
  ...blocks('breaker', ['service restart payment', quiet], 'load --duration 3s --concurrent 4', 'status'),
  ...blocks(null, 'config unset breakerResetTimeoutMs'), ...blocks('logs', 'logs payment --lines 4'),
  // docs/scenarios.md: each file gets a fresh stack of its own
  ...blocks('scenario-run', ['scenario run scenarios/01-rental.yaml', {cwd: repo, noDataDir: true}]),
  ...blocks('scenario-wrong', ['wrong.yaml', {file: wrongYaml}], ['scenario run wrong.yaml', {noDataDir: true, expect: 1, echo: true}]),
  ...blocks('scenario-typo', ['typo.yaml', {file: typoYaml}], ['scenario run typo.yaml', {noDataDir: true, expect: 2, echo: true}]),
  // docs/wizard.md, then the end of the tour (docs/commands.md)
  ...blocks('wizard-no-tty', ['wizard', {stdin: '/dev/null', expect: 2, echo: true}]),
  // README: items near you
  ...blocks('nearby', 'item register --name Drill --price 8 --at 37.5665,126.978', ['item register --name Ladder --price 5 --at 37.5702,126.9831', quiet],
    ['item register --name Kayak --price 30 --at 37.4563,126.7052', quiet], 'view --near 37.5665,126.978 --within 2km',
    ['config set home 37.5665,126.978', quiet], ['service restart view', quiet], 'view --near home --search drill --max-price 10'),
  ...blocks('down', 'down', ['view', {expect: 5}]),
  // README and docs/http-api.md: the original system's HTTPie session, on a stack of its own
  ...blocks(['http-tour', 'http-session'], ['config set httpAuth 0', web], ['up --port 0 --http-port 0', web], 'http POST :{port}/items itemName=Camera itemPrice=100 itemStatus=Rentable rentalStatus=NotRenting'),
  // the lines exactly as the original's README has them (test/e2e/httpie.test.ts runs the same)
  ...blocks('http-session', 'http POST :{port}/reservations customerName=YoungEunSong customerId=1 itemNo=1 itemName=Camera itemPrice=100 paymentStatus=NotPaid rentalStatus=NotRenting',
    'http PATCH :{port}/reservations/1 paymentStatus=Paid', 'http :{port}/payments', 'http PATCH :{port}/items/1 itemNo=1 reservationNo=1 itemStatus=NotRentable rentalStatus=Renting',
    'http :{port}/reservations/1', 'http PATCH :{port}/items/1 itemNo=1 reservationNo=1 itemStatus=Rentable rentalStatus=Returned'),
  ...blocks(['http-tour', 'http-session'], 'http :{port}/itemInfoes'),
  ...blocks('http-errors', 'http POST :{port}/reservations itemNo=1 customerName=Kim itemPrice=90', 'http POST :{port}/items itemName=Lamp itemPrice=5 colour=red', 'http GET :{port}/items/9'),
  ...blocks('http-down', ['service stop payment', {...web, ...quiet}], 'http GET :{port}/payments', 'http GET :{port}/readyz', ['service start payment', {...web, ...quiet}]),
  ...blocks('http-events', 'http GET :{port}/events limit==2', ['http --stream GET :{port}/events follow==true limit==1', {stopAfterMs: 1500}]),
  ...blocks(null, ['down', web]),
]

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gdmarket-samples-'))
// where `up` remembers its stacks (src/cli/knownStacks.ts): the samples' own, not your ~/.local/state
env.XDG_STATE_HOME = path.join(tmp, 'state')
// the samples show `$ gdmarket …`: it is on their PATH, as after `npm link`, so up's Try: line says `gdmarket`
fs.mkdirSync(path.join(tmp, 'bin'))
fs.symlinkSync(cli, path.join(tmp, 'bin', 'gdmarket'))
env.PATH = `${path.join(tmp, 'bin')}${path.delimiter}${env.PATH}`
const dataDirs = {data: path.join(tmp, 'data'), web: path.join(tmp, 'web')}
const began = Date.now()
let interrupted = false
process.on('SIGINT', () => (interrupted = true)) // checked between steps; a step's own child gets it too

const readJson = (file) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined)
const alive = (pid) => { try { return process.kill(pid, 0) } catch { return false } } // signal 0: only asks
const gatewayPort = () => readJson(path.join(dataDirs.web, 'run', 'stack.json')).httpPort // its `up` ran (a failed one stops the run)

/** `gdmarket down`; should that fail (dist/ rebuilt meanwhile, say), SIGTERM its supervisor, then SIGKILL. */
async function stop(dataDir) {
  const pid = readJson(path.join(dataDir, 'run', 'stack.json'))?.pid
  await runProcess(process.execPath, [cli, 'down', '--data-dir', dataDir], {env, stdout: 'ignore', stderr: 'ignore'}).catch(() => undefined)
  for (const [signal, waitMs] of [['SIGTERM', 10_000], ['SIGKILL', 0]]) {
    if (!pid || !alive(pid)) return
    process.kill(pid, signal)
    for (let t = 0; t < waitMs && alive(pid); t += 100) await sleep(100)
  }
}

/** Runs one step; returns what a terminal would have shown, and the exit code. */
async function run(step) {
  if (step.file) {
    fs.writeFileSync(path.join(tmp, step.line), step.file)
    return {status: 0, text: `$ cat ${step.line}\n${step.file}`}
  }
  const http = step.line.startsWith('http ')
  const words = (http ? step.line.replace('{port}', gatewayPort()) : step.line).split(' ')
  const dataDir = step.noDataDir ? [] : step.web ? ['--data-dir', 'web'] : ['--data-dir', dataDirs.data]
  const [command, args] = http
    ? ['http', ['--ignore-stdin', '--pretty=format', '--print=hb', ...words.slice(1)]]
    : [process.execPath, [cli, ...words, ...dataDir]]
  const quietly = {env, stdout: 'ignore', stderr: 'ignore'}
  const meanwhile = step.meanwhile
    ? sleep(1000).then(() => runProcess(process.execPath, [cli, ...step.meanwhile.split(' '), '--data-dir', dataDirs.data], quietly))
    : undefined
  const out = path.join(tmp, 'output')
  const fd = fs.openSync(out, 'w')
  let result
  try {
    result = await runProcess(command, args, {cwd: step.cwd ?? tmp, env: {...env, ...step.env}, stdout: step.quiet ? 'ignore' : fd, stderr: fd,
      timeoutMs: step.stopAfterMs, timeoutSignal: 'SIGINT'}) // stdout and stderr into one file: interleaved as a terminal shows them
  } finally {
    fs.closeSync(fd)
    await meanwhile
  }
  const output = fs.readFileSync(out, 'utf8').replace(/\s+$/, '')
  const status = result.timedOut ? 0 : (result.code ?? 128 + (os.constants.signals[result.signal] ?? 0))
  const prefix = Object.entries(step.env ?? {}).map(([k, v]) => `${k}=${v} `).join('')
  const shown = http ? words : ['gdmarket', ...words, ...(step.web ? dataDir : [])]
  const redirects = `${step.stdin ? ` < ${step.stdin}` : ''}${step.quiet ? ' > /dev/null' : ''}`
  const lines = [`$ ${prefix}${shown.join(' ')}${redirects}`, ...(output ? [output] : []), ...(step.stopAfterMs ? ['^C'] : [])]
  if (step.echo) lines.push('$ echo $?', String(result.code))
  return {status, text: lines.join('\n') + '\n'}
}

const filled = new Map() // block name → {text, index of its last step}
const skipped = new Set()
let failure
try {
  for (const [index, step] of steps.entries()) {
    await new Promise(setImmediate) // lets a Ctrl-C between steps be seen
    if (interrupted) throw new Error('interrupted (Ctrl-C)')
    const names = [step.block].flat().filter(Boolean)
    if ((step.web || step.line.startsWith('http ')) && !hasHttpie) {
      names.forEach((name) => skipped.add(name))
      continue
    }
    const {status, text} = await run(step)
    process.stderr.write(`samples: ${text.split('\n')[0]}  (exit ${status})\n`)
    if (status !== (step.expect ?? 0)) throw new Error(`exit ${status}, expected ${step.expect ?? 0}:\n${text}`)
    for (const name of names) {
      const block = filled.get(name) ?? {text: '', last: index}
      if (block.text && index > block.last + 1) block.text += '…\n' // steps not shown here ran in between
      filled.set(name, {text: block.text + text, last: index})
    }
  }
} catch (error) {
  failure = error
} finally {
  for (const dataDir of Object.values(dataDirs)) await stop(dataDir)
  fs.rmSync(tmp, {recursive: true, force: true})
}
if (!hasHttpie) console.warn(`samples: warning: HTTPie (\`http\`) is not installed; left as they were: ${[...skipped].join(', ')}`)
if (failure) {
  console.error(`samples: stopped, nothing written: ${failure.message}`)
  process.exit(1)
}

// write each block into the files that mark it
const files = ['README.md', ...fs.readdirSync(path.join(repo, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)]
const marker = /<!-- sample: ([\w-]+) -->\n```console\n[\s\S]*?```\n<!-- \/sample -->/g
const used = new Set()
let written = 0
for (const name of files) {
  const where = path.join(repo, name)
  const before = fs.readFileSync(where, 'utf8')
  const after = before.replace(marker, (whole, sample) => {
    if (!filled.has(sample)) return (skipped.has(sample) || console.warn(`samples: warning: ${name} marks "${sample}", which no step fills`), whole)
    used.add(sample); written++
    return `<!-- sample: ${sample} -->\n\`\`\`console\n${filled.get(sample).text}\`\`\`\n<!-- /sample -->`
  })
  if (after !== before) fs.writeFileSync(where, after)
}
for (const sample of filled.keys()) if (!used.has(sample)) console.warn(`samples: warning: no file marks "${sample}"`)
console.error(`samples: ${written} blocks in ${files.length} files, from ${steps.length} steps, in ${((Date.now() - began) / 1000).toFixed(1)} s`)
