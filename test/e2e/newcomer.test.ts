import {execFileSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, afterEach, describe, expect, it} from 'vitest'

import {runProcess} from '../../src/childProcess.js'
import {cliEnv, runCli, startStack, type Stack} from './stack.js'

const root = fileURLToPath(new URL('../..', import.meta.url))

/** Rough edges a new user met (issue 12), each as the user met it. */
const scratch = mkdtempSync(path.join(tmpdir(), 'gdmarket-newcomer-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

let stack: Stack | undefined
afterEach(async () => {
  await stack?.stop()
  stack = undefined
})

describe('a broken config.json does not lock the operator out of a running stack', () => {
  it('status and reads still work, and down stops it with exit 0', async () => {
    stack = await startStack()
    expect((await stack.cli('item', 'register', '--name', 'Lamp', '--price', '5')).code).toBe(0)
    writeFileSync(path.join(stack.dataDir, 'config.json'), '{"paymentLimit": -5}')
    expect((await stack.cli('status')).code).toBe(0)
    const items = await stack.cli('item', 'list', '--json')
    expect(items.code, items.stderr).toBe(0)
    expect(items.json).toEqual([expect.objectContaining({itemName: 'Lamp'})])
    const down = await stack.cli('down')
    expect(down.code, down.stderr).toBe(0)
    expect(down.stderr).toContain('gdmarket stopped')
  })
})

describe('the data directory', () => {
  it('refuses an empty --data-dir (exit 2) instead of filling the current directory', async () => {
    const result = await runCli(['status', '--data-dir', ''])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/--data-dir is empty/)
  })

  it('takes an empty GDMARKET_DATA_DIR as unset: ./data', async () => {
    const cwd = mkdtempSync(path.join(scratch, 'cwd-'))
    const result = await runCli(['status'], {env: {GDMARKET_DATA_DIR: ''}, cwd})
    expect(result.code).toBe(5)
    expect(result.stderr).toContain(`not running for data dir ${path.join(cwd, 'data')}`)
  })

  it('names --data-dir in the hint to start it, when that is the directory it needs', async () => {
    const elsewhere = path.join(scratch, 'elsewhere')
    const result = await runCli(['view', '--data-dir', elsewhere])
    expect(result.code).toBe(5)
    expect(result.stderr).toContain(`start it with \`gdmarket up --data-dir ${elsewhere}\``)
  })
})

describe('every command a message names keeps --data-dir', () => {
  it('in refusals from the services, in notes, and with --json', async () => {
    stack = await startStack()
    const d = `--data-dir ${stack.dataDir}`
    expect((await stack.cli('payment', 'list')).stderr).toContain(`\`gdmarket pay RESNO ${d}\``)
    expect((await stack.cli('item', 'register', '--name', 'Lamp', '--price', '5')).code).toBe(0)
    const lend = await stack.cli('lend', '1')
    expect(lend.code).toBe(3)
    expect(lend.stderr).toContain(`\`gdmarket reserve 1 --customer NAME ${d}\``)
    const missing = await stack.cli('item', 'show', '9', '--json')
    expect(missing.json.error.message).toContain(`\`gdmarket item list ${d}\``)
    // help pointers stay as they are
    expect((await stack.cli('item', 'show', 'x')).stderr).toContain('(see `gdmarket item show --help`)')
  })
})

describe('scenario run', () => {
  it('refuses a folder without scenario files (exit 2): a CI job pointed at the wrong folder does not go green', async () => {
    const empty = path.join(scratch, 'no-scenarios')
    mkdirSync(empty, {recursive: true})
    const result = await runCli(['scenario', 'run', empty])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('no scenario files')
    expect(result.stdout).not.toContain('0 passed, 0 failed')
  })

  it("checks every step's command, flags and arguments against the CLI's before any stack starts, with file and line", async () => {
    const typo = path.join(scratch, 'typo-command.yaml')
    writeFileSync(typo, 'steps:\n  - run: item register --name Camera --price 100\n    save: {item: itemNo}\n  - run: reserv ${item} --customer Young\n')
    const flag = path.join(scratch, 'typo-flag.yaml')
    writeFileSync(flag, 'steps:\n  - run: reserve 1 --custmer Young\n')
    const bare = path.join(scratch, 'bare-step.yaml')
    writeFileSync(bare, 'steps:\n  - run: view\n  - item register --name Tent --price 40\n')
    const result = await runCli(['scenario', 'run', typo, flag, bare])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(`${typo}:4: step 2: run: "reserv" is not a gdmarket command; did you mean "reserve"?`)
    expect(result.stderr).toContain(`${flag}:2: step 1: run: there is no flag --custmer; did you mean --customer?`)
    expect(result.stderr).toContain(`${bare}:3: step 2: a step is a map with run:; write it as \`- run: item register --name Tent --price 40\``)
    expect(result.stderr).not.toMatch(/Invalid input|expected object/)
    expect(`${result.stdout}${result.stderr}`).not.toContain('fresh stack') // nothing started
  })

  it('refuses a --follow step when the file is checked, before any stack starts', async () => {
    const file = path.join(scratch, 'follow.yaml')
    writeFileSync(file, 'steps:\n  - run: events --follow\n')
    const result = await runCli(['scenario', 'run', file])
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/follow.yaml:2: step 1: run: leave out --follow/)
  })
})

describe('events', () => {
  it('says that nothing matches the filter, not that there are no events', async () => {
    stack = await startStack()
    expect((await stack.cli('item', 'register', '--name', 'Lamp', '--price', '5')).code).toBe(0)
    const result = await stack.cli('events', '--type', 'Reserved')
    expect(result.code).toBe(0)
    expect(result.stderr).toContain('no events match the filter')
    expect(result.stdout).toBe('')
  })
})

describe('conventions people expect', () => {
  it('gdmarket version, --version and -h work', async () => {
    const version = await runCli(['version', '--json'])
    expect(version.code).toBe(0)
    expect(version.json).toMatchObject({version: expect.stringMatching(/^\d+\.\d+\.\d+/), node: process.version})
    expect((await runCli(['--version'])).stdout).toContain(`gdmarket/${version.json.version}`)
    const help = await runCli(['reserve', '-h'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('--customer')
  })
})

describe('shell completion (@oclif/plugin-autocomplete)', () => {
  it('autocomplete bash says how to set it up, and its script completes gdmarket\'s commands', async () => {
    const home = mkdtempSync(path.join(scratch, 'home-')) // the plugin writes its cache under ~/.cache/gdmarket
    const setup = await runCli(['autocomplete', 'bash'], {env: {HOME: home}})
    expect(setup.code, setup.stderr).toBe(0)
    expect(setup.stdout).toContain('gdmarket autocomplete script bash')

    const script = await runCli(['autocomplete', 'script', 'bash'], {env: {HOME: home}})
    expect(script.code, script.stderr).toBe(0)
    expect(script.stdout).toContain(path.join(home, '.cache', 'gdmarket', 'autocomplete'))
    // what bash does on gdmarket item <TAB><TAB>: the topic's commands
    const complete = (words: string) =>
      execFileSync('bash', ['-c', `${script.stdout}\nCOMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); _gdmarket_autocomplete; echo "\${COMPREPLY[*]}"`], {
        encoding: 'utf8',
        env: {PATH: process.env.PATH, HOME: home},
      }).trim()
    expect(complete('gdmarket item ""').split(' ').sort()).toEqual(['calendar', 'delete', 'list', 'register', 'show'])
    expect(complete('gdmarket reserve --cu')).toBe('--customer --customer-id')
  })
})

describe('service stop and start', () => {
  it('say when there was nothing to do', async () => {
    stack = await startStack()
    expect((await stack.cli('service', 'stop', 'view')).stderr).not.toContain('already')
    const again = await stack.cli('service', 'stop', 'view')
    expect(again.code).toBe(0)
    expect(again.stderr).toContain('view was already stopped')
    expect((await stack.cli('service', 'start', 'view')).stderr).not.toContain('already')
    expect((await stack.cli('service', 'start', 'view')).stderr).toContain('view was already running')
  })
})

/** A newcomer's second hour (issue 21), each as the user met it. */
describe('config set on a running stack', () => {
  it('names the service to restart for the key, not NAME', async () => {
    stack = await startStack()
    const limit = await stack.cli('config', 'set', 'paymentLimit', '50')
    expect(limit.code, limit.stderr).toBe(0)
    expect(limit.stderr).toContain('restart the payment service: `gdmarket service restart payment')
    expect(limit.stderr).not.toContain('NAME')
    const breaker = await stack.cli('config', 'set', 'breakerResetTimeoutMs', '3000')
    expect(breaker.stderr).toContain('`gdmarket service restart reservation')
  })
})

describe('paying twice', () => {
  it('answers with the same payment (exit 0) and says on stderr that nothing was charged again', async () => {
    stack = await startStack()
    await stack.json(['item', 'register', '--name', 'Lamp', '--price', '12'])
    await stack.json(['reserve', '1', '--customer', 'Kim'])
    const first = await stack.cli('pay', '1', '--json')
    expect(first.code, first.stderr).toBe(0)
    expect(first.stderr).not.toContain('already paid')
    const again = await stack.cli('pay', '1', '--json')
    expect(again.code, again.stderr).toBe(0)
    expect(again.stderr.trim()).toBe(`already paid (payment ${again.json.paymentNo}); nothing was charged again`)
    expect(again.json).toEqual(first.json) // the same payment, the note aside
    expect((await stack.cli('pay', '1')).stderr).toContain('already paid (payment 1); nothing was charged again')
    expect(await stack.json(['payment', 'list'])).toHaveLength(1)
  })
})

describe('a narrow terminal', () => {
  it('view at 60 columns keeps the price and says available, reserved, lent out; --json keeps the statuses', async () => {
    stack = await startStack()
    await stack.json(['item', 'register', '--name', 'Camera', '--price', '100'])
    await stack.json(['item', 'register', '--name', 'Tent', '--price', '40'])
    await stack.json(['reserve', '1', '--customer', 'Young', '--customer-id', 'young01'])
    const view = await runCli(['view'], {dataDir: stack.dataDir, env: {COLUMNS: '60'}})
    expect(view.code, view.stderr).toBe(0)
    const lines = view.stdout.trimEnd().split('\n')
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(60)
    expect(lines[1]).toMatch(/│ price │/)
    expect(view.stdout).toMatch(/│ Camera +│ 100 +│ reserved +│/)
    expect(view.stdout).toMatch(/│ Tent +│ 40 +│ available +│/)
    expect(view.stdout).not.toMatch(/NotRenting|Returned/)
    expect(await stack.json(['view'])).toEqual(
      expect.arrayContaining([expect.objectContaining({itemNo: 2, itemStatus: 'Rentable', rentalStatus: 'NotRenting'})]),
    )
  })
})

describe('a wrong data dir says where a stack does run, instead of offering a second, empty market', () => {
  it('a stack in ./data of the folder given: status --data-dir ~/tour names ~/tour/data', async () => {
    const tour = mkdtempSync(path.join(scratch, 'tour-'))
    const data = path.join(tour, 'data')
    mkdirSync(data)
    stack = await startStack({dataDir: data})
    // a registry of its own: it is the child folder that finds it here, not the last `up`
    const elsewhere = mkdtempSync(path.join(scratch, 'state-'))
    const status = await runCli(['status', '--data-dir', tour], {env: {XDG_STATE_HOME: elsewhere}})
    expect(status.code).toBe(5)
    expect(status.stderr.trim()).toBe(`gdmarket: no stack in ${tour}; one runs in ${data} (use --data-dir ${data})`)
    expect(status.stderr).not.toContain('gdmarket up')
    // up there anyway: a second market, with a note that says so
    try {
      const up = await runCli(['up', '--port', '0', '--http-port', '0', '--data-dir', tour])
      expect(up.code, up.stderr).toBe(0)
      expect(up.stderr).toContain(`note: another stack runs in ${data}; this one is a market of its own (\`gdmarket stacks\` lists them)`)
    } finally {
      await runCli(['down', '--data-dir', tour])
    }
  })

  it('plain view from another folder names the data dir of the last up; so does one GDMARKET_DATA_DIR names', async () => {
    stack = await startStack()
    const other = mkdtempSync(path.join(scratch, 'cwd-'))
    const view = await runCli(['view'], {cwd: other})
    expect(view.code).toBe(5)
    expect(view.stderr.trim()).toBe(`gdmarket: no stack in ${path.join(other, 'data')}; one runs in ${stack.dataDir} (use --data-dir ${stack.dataDir})`)
    const fresh = mkdtempSync(path.join(scratch, 'state-')) // no registry: only the variable can say
    const env = await runCli(['item', 'list', '--data-dir', other], {env: {XDG_STATE_HOME: fresh, GDMARKET_DATA_DIR: stack.dataDir}})
    expect(env.code).toBe(5)
    expect(env.stderr).toContain(`no stack in ${other}; one runs in ${stack.dataDir}`)
  })

  it('gdmarket stacks lists the running stacks of this user, and forgets one after down', async () => {
    stack = await startStack()
    const listed = await runCli(['stacks', '--json'])
    expect(listed.code, listed.stderr).toBe(0)
    const [pid] = await stack.pids()
    expect(listed.json).toEqual([{dataDir: stack.dataDir, pid, port: expect.any(Number), httpPort: expect.any(Number), startedAt: expect.any(String)}])
    const table = await runCli(['stacks'])
    expect(table.stdout).toContain(stack.dataDir)
    expect((await stack.cli('down')).code).toBe(0)
    expect((await runCli(['stacks', '--json'])).json).toEqual([])
    const none = await runCli(['stacks'])
    expect(none.code).toBe(0)
    expect(none.stderr).toContain('no stack runs for you; start one with `gdmarket up')
  })

  it('the registry is a hint, never trusted: a stale entry, a data dir without a live supervisor, a file others may write are ignored', async () => {
    const state = mkdtempSync(path.join(scratch, 'state-'))
    const registry = path.join(state, 'gdmarket', 'stacks.json')
    const dead = mkdtempSync(path.join(scratch, 'dead-'))
    mkdirSync(path.join(dead, 'run'))
    // a supervisor that is gone, its pid long since given to someone else (this test process)
    writeFileSync(path.join(dead, 'run', 'stack.json'), JSON.stringify({pid: process.pid, port: 1, httpPort: 2, requestTimeoutMs: 1, stopTimeoutMs: 1, startedAt: 'x'}))
    mkdirSync(path.dirname(registry), {mode: 0o700})
    const entries = {stacks: [{dataDir: dead, startedAt: 'x'}, {dataDir: path.join(scratch, 'never-was'), startedAt: 'y'}]}
    writeFileSync(registry, JSON.stringify(entries), {mode: 0o600})
    const env = {XDG_STATE_HOME: state}
    expect((await runCli(['stacks', '--json'], {env})).json).toEqual([])
    const other = mkdtempSync(path.join(scratch, 'cwd-'))
    expect((await runCli(['view'], {cwd: other, env})).stderr).toContain(`not running for data dir ${path.join(other, 'data')}`)

    // a live stack, but named in a registry that anyone may write: not believed
    stack = await startStack()
    writeFileSync(registry, JSON.stringify({stacks: [{dataDir: stack.dataDir, startedAt: 'x'}]}))
    expect((await runCli(['stacks', '--json'], {env})).json).toHaveLength(1)
    chmodSync(registry, 0o666)
    expect((await runCli(['stacks', '--json'], {env})).json).toEqual([])
  })
})

describe('the README on a fresh machine: gdmarket is not on the PATH yet', () => {
  it('npm start -- FLAGS passes them to up, shows that stack\'s status, and its Try: line works here (npx gdmarket)', async () => {
    // a PATH with node, npm and npx, the system's tools, and no gdmarket anywhere
    const tools = mkdtempSync(path.join(scratch, 'tools-'))
    const find = (name: string) => (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, name)).find((file) => existsSync(file))
    for (const name of ['npm', 'npx']) symlinkSync(realpathSync(find(name)!), path.join(tools, name))
    symlinkSync(process.execPath, path.join(tools, 'node'))
    const PATH = [tools, '/usr/bin', '/bin'].filter((dir) => dir === tools || !existsSync(path.join(dir, 'gdmarket'))).join(path.delimiter)
    const dataDir = mkdtempSync(path.join(scratch, 'start-'))
    const env = cliEnv({PATH, npm_config_offline: 'true', npm_config_update_notifier: 'false'}) // npm must not ask the registry anything
    try {
      const start = await runProcess('npm', ['start', '--', '--port', '0', '--http-port', '0', '--data-dir', dataDir], {cwd: root, env})
      expect(start.code, start.stderr).toBe(0)
      expect(start.stderr).toContain(`Try: npx gdmarket status --data-dir ${dataDir} · npx gdmarket item register`)
      expect(start.stdout).toMatch(/│ reservation +│ online/) // the status of the stack it started, not of ./data
      const tried = await runProcess('npx', ['--no', 'gdmarket', 'status', '--data-dir', dataDir, '--json'], {cwd: root, env})
      expect(tried.code, tried.stderr).toBe(0)
      expect(JSON.parse(tried.stdout).processes).toHaveLength(5)
    } finally {
      await runCli(['down'], {dataDir})
    }
  })
})
