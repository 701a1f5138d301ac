import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {runCli} from './stack.js'

// no stack runs here: these fail before, or because, there is none
const dataDir = mkdtempSync(path.join(tmpdir(), 'gdmarket-test-'))
afterAll(() => rmSync(dataDir, {recursive: true, force: true}))
const cli = (...args: string[]) => runCli(args, {dataDir})

const oneLine = (stderr: string) => {
  expect(stderr.trim().split('\n')).toHaveLength(1)
  expect(stderr).not.toMatch(/\n\s+at /) // no stack trace
}

describe('bad input: exit 2 and one line that names the problem', () => {
  it.each([
    [['item', 'register', '--price', '10'], /^gdmarket: --name is required \(see/],
    [['item', 'register', '--name', 'X', '--price', '0'], /--price: must be a whole number from 1 to 999999999999999, not "0"/],
    [['item', 'register', '--name', 'X', '--price', 'cheap'], /--price: must be a whole number from 1 /],
    [['item', 'register', '--name', 'X', '--price', '9007199254740992'], /--price: must be a whole number from 1 to 999999999999999/],
    [['item', 'show', 'abc'], /ITEMNO must be a whole number from 1 to 999999999999999, not "abc"/],
    [['pay', '1.5'], /RESNO must be a whole number/],
    [['reserve', '1'], /^gdmarket: --customer is required/],
    [['pay'], /^gdmarket: the reservation number is missing \(see `gdmarket pay --help`\)$/m],
    [['service', 'stop', 'kitchen'], /"kitchen" is not one of: item, reservation, payment, view/],
    [['item', 'list', '--bogus'], /there is no flag --bogus/],
    [['reserve', '1', '2', '--customer', 'Kim'], /one argument too many: 2/],
    [['events', '--type', 'Bogus'], /--type: "Bogus" is not one of: ItemRegistered,/],
    [['up', '--port', '70000'], /--port: must be a whole number from 0 to 65535/],
    // oclif's usage errors, in our words
    [['service', 'stop'], /^gdmarket: the service is missing: item, reservation, payment or view \(see `gdmarket service stop --help`\)$/m],
    [['config', 'set'], /^gdmarket: the setting and the value are missing \(see/],
    [['item', 'register'], /^gdmarket: --name and --price are required \(see/],
    [['item', 'register', '--name'], /^gdmarket: --name needs a value \(see/],
    [['reserve', '1', '--custmer', 'Kim'], /^gdmarket: there is no flag --custmer; did you mean --customer\? \(see/],
    [['load', '--duration', '2s', '--cycles', '3'], /^gdmarket: --duration and --cycles do not go together: give one of them \(see/],
  ])('gdmarket %s', async (args, problem) => {
    const result = await cli(...args)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(problem)
    expect(result.stderr).toContain('--help')
    oneLine(result.stderr)
  })

  it("the commands of oclif's plugins say it in the same words", async () => {
    for (const [args, line] of [
      [['autocomplete', 'fish'], 'gdmarket: "fish" is not one of: zsh, bash, powershell (see `gdmarket autocomplete --help`)'],
      [['help', 'frobnicate'], 'gdmarket: "frobnicate" is not a gdmarket command (see `gdmarket --help`)'],
    ] as const) {
      const result = await runCli([...args])
      expect(result.code).toBe(2)
      expect(result.stderr.trim()).toBe(line)
    }
  })

  it('--json errors are also {"error": {code, message}} on stdout', async () => {
    const result = await cli('item', 'register', '--name', 'X', '--price', '-5', '--json')
    expect(result.code).toBe(2)
    expect(result.json).toEqual({error: {code: 'BAD_INPUT', message: expect.stringContaining('--price')}})
  })
})

describe('a mistyped command: exit 2 and the command meant', () => {
  it.each([
    [['reserv', '1'], 'did you mean "reserve"?'],
    [['item', 'regster', '--name', 'Lamp'], 'did you mean "item register"?'],
    // by meaning: a renter's word, a verb without its topic
    [['rent', '1'], 'did you mean "reserve"?'],
    [['book', '1', '--customer', 'Kim'], 'did you mean "reserve"?'],
    [['register', '--name', 'Lamp'], 'did you mean "item register"?'],
    [['cancel', '1'], 'did you mean "reservation cancel" or "payment cancel"?'],
    [['refund', '1'], 'did you mean "payment cancel"?'],
    [['list'], 'did you mean "item list", "reservation list", "payment list" or "config list"?'],
  ])('gdmarket %s', async (args, hint) => {
    const result = await cli(...args)
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(hint)
    expect(result.stderr).toMatch(/^gdmarket: /)
    oneLine(result.stderr)
  })

  it('with --json too: {"error": {code, message}} on stdout', async () => {
    const result = await cli('reserv', '1', '--customer', 'Kim', '--json')
    expect(result.code).toBe(2)
    expect(result.json).toEqual({error: {code: 'UNKNOWN_COMMAND', message: expect.stringContaining('did you mean "reserve"?')}})
    oneLine(result.stderr)
  })

  it('names the help of the topic when nothing is close', async () => {
    const result = await cli('item', 'frobnicate')
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('"item frobnicate" is not a gdmarket command (see `gdmarket item --help`)')
  })

  it('a flag before the command, and arguments a command does not take', async () => {
    const early = await runCli(['--data-dir', dataDir, 'view'])
    expect(early.code).toBe(2)
    expect(early.stderr.trim()).toBe(`gdmarket: flags go after the command: \`gdmarket view --data-dir ${dataDir}\``)
    const extra = await cli('view', '999')
    expect(extra.code).toBe(2)
    expect(extra.stderr).toContain('view takes no argument "999"')
  })
})

describe('no stack running: exit 5 and how to start it', () => {
  it.each([['view'], ['status'], ['item', 'list'], ['reserve', '1', '--customer', 'A'], ['service', 'start', 'item']])(
    'gdmarket %s',
    async (...args) => {
      const result = await cli(...args)
      expect(result.code).toBe(5)
      expect(result.stderr).toContain('gdmarket up')
      oneLine(result.stderr)
    },
  )

  it('down is fine when nothing runs', async () => {
    const result = await cli('down', '--json')
    expect(result.code).toBe(0)
    expect(result.json).toEqual({stopped: false, pid: null})
  })
})
