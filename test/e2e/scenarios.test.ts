import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest'

import {parseScenario} from '../../src/scenario/loadScenario.js'
import {eventually, runCli, startCli, startStack, type Stack} from './stack.js'

const root = fileURLToPath(new URL('../..', import.meta.url))
const shipped = path.join(root, 'scenarios')

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

// The runner makes its fresh stacks' data dirs under TMPDIR: one of our own, so that whatever a
// failed test leaves behind is found and stopped in afterAll.
let scratch: string
let runnerTmp: string
beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'gdmarket-scenario-files-'))
  runnerTmp = path.join(scratch, 'tmp')
  mkdirSync(runnerTmp)
})
afterAll(async () => {
  for (const dir of existsSync(runnerTmp ?? '') ? readdirSync(runnerTmp) : []) {
    const stackFile = path.join(runnerTmp, dir, 'run', 'stack.json')
    if (existsSync(stackFile)) await runCli(['down', '--data-dir', path.join(runnerTmp, dir)])
  }
  rmSync(scratch, {recursive: true, force: true})
})
const scenarioRun = (...args: string[]) => runCli(['scenario', 'run', ...args], {env: {TMPDIR: runnerTmp}})
const write = (name: string, text: string) => {
  const file = path.join(scratch, name)
  writeFileSync(file, text)
  return file
}

describe('the shipped scenarios', () => {
  it('all pass, each file on its own fresh stack that is stopped and removed afterwards', async () => {
    const files = readdirSync(shipped).filter((f) => f.endsWith('.yaml'))
    expect(files.length).toBeGreaterThanOrEqual(6)
    const steps = files.reduce((sum, f) => sum + parseScenario(readFileSync(path.join(shipped, f), 'utf8'), f).steps.length, 0)

    const result = await scenarioRun(shipped, '--json')
    expect(result.stderr.trim().split('\n').at(-1)).toBe(`${steps} passed, 0 failed`)
    expect(result.code, result.stderr).toBe(0)
    expect(result.json).toMatchObject({passed: steps, failed: 0, interrupted: false})
    expect(result.json.files).toHaveLength(files.length)
    const ports = new Set<number>()
    for (const file of result.json.files) {
      expect(file).toMatchObject({freshStack: true, failed: 0})
      ports.add(file.port)
      expect(existsSync(file.dataDir), `${file.dataDir} is removed`).toBe(false)
      expect(isAlive(file.stackPid), `the stack of ${file.file} is stopped`).toBe(false)
    }
    expect(ports.size).toBe(files.length) // a fresh stack each
  })
})

describe('a scenario that fails', () => {
  it('names the step, its line, what was expected and what came; skips the rest; exits 1', async () => {
    const file = write(
      'wrong.yaml',
      `name: a deliberately wrong expectation
steps:
  - run: item register --name Camera --price 100
    save: { item: itemNo }
  - run: item show \${item}
    expect: { itemStatus: NotRentable }
  - run: view
`,
    )
    const result = await scenarioRun(file)
    expect(result.code).toBe(1)
    const lines = result.stdout.trim().split('\n')
    expect(lines[0]).toMatch(/^a deliberately wrong expectation {2}\(.*wrong\.yaml, fresh stack on port \d+\)$/)
    expect(lines[1]).toMatch(/^ {2}✓ {2}1\. item register --name Camera --price 100 {2}/)
    expect(lines[2]).toBe('  ✗  2. item show 1  line 5: itemStatus: expected "NotRentable", got "Rentable"')
    expect(lines[3]).toBe('  -  3. view  skipped: an earlier step failed')
    expect(lines.at(-1)).toBe('1 passed, 1 failed')
  })

  it('says how long a within step waited before it gave up', async () => {
    const file = write(
      'within.yaml',
      `steps:
  - run: view
    expect: [ { itemName: Ghost } ]
    within: 1s
`,
    )
    const result = await scenarioRun(file)
    expect(result.code).toBe(1)
    expect(result.stdout).toMatch(/ {2}✗ {2}1\. view {2}line 2: no element matches \{"itemName":"Ghost"\}: the list is empty \(still so after 1(\.\d)?s, \d+ tries\)/)
  })

  it('refuses an invalid file with exit 2, naming the file and line, and starts nothing', async () => {
    const good = write('good.yaml', 'steps: [{run: view}]\n')
    const bad = write('bad.yaml', 'name: typo\nsteps:\n  - run: view\n    exit: five\n')
    const result = await scenarioRun(good, bad)
    expect(result.code).toBe(2)
    expect(result.stderr.trim()).toBe(`gdmarket: invalid scenario ${bad}:4: step 1: exit: a whole number 0–255; nothing was run`)
    expect(result.stdout).toBe('')
  })
})

describe('the stack a scenario runs on', () => {
  let stack: Stack | undefined
  afterEach(async () => {
    await stack?.stop()
    stack = undefined
  })

  it('with --data-dir of a running stack: runs there and leaves it running', async () => {
    stack = await startStack()
    const file = write('there.yaml', 'steps:\n  - run: item register --name Lamp --price 5\n    save: {item: itemNo}\n  - run: item show ${item}\n')
    const result = await scenarioRun(file, '--data-dir', stack.dataDir)
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toContain(`(${file}, the stack of ${stack.dataDir} on port`)
    expect(result.stdout.trim().split('\n').at(-1)).toBe('2 passed, 0 failed')
    expect(await stack.json(['item', 'list'])).toEqual([expect.objectContaining({itemName: 'Lamp'})])
  })

  it('with --data-dir where nothing runs: exit 5, saying how to start one', async () => {
    const file = write('nowhere.yaml', 'steps: [{run: view}]\n')
    const result = await scenarioRun(file, '--data-dir', path.join(scratch, 'no-stack'))
    expect(result.code).toBe(5)
    expect(result.stderr).toContain('gdmarket up --data-dir')
  })

  it('Ctrl-C stops the running step and the fresh stack (exit 130)', async () => {
    const file = write(
      'long.yaml',
      `steps:
  - run: item register --name Camera --price 100
  - run: item show 1
    expect: { itemStatus: NotRentable }
    within: 2m
`,
    )
    const child = startCli(['scenario', 'run', file, '--json'], {env: {TMPDIR: runnerTmp}})
    try {
      await eventually(() => expect(child.stderr).toContain('✓  1. item register'), {timeoutMs: 30_000})
      child.kill('SIGINT')
      const {code, stdout, stderr} = await child.exited
      expect(code).toBe(130)
      const result = JSON.parse(stdout)
      expect(result).toMatchObject({interrupted: true, passed: 1, failed: 0})
      const [ran] = result.files
      expect(isAlive(ran.stackPid)).toBe(false)
      expect(existsSync(ran.dataDir)).toBe(false)
      expect(stderr.trim().split('\n').at(-1)).toBe('1 passed, 0 failed')
    } finally {
      await child.stop() // and afterAll stops any stack it left
    }
  })
})
