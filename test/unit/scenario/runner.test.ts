import {describe, expect, it} from 'vitest'

import {parseScenario} from '../../../src/scenario/loadScenario.js'
import {runScenario, type StepExecutor, type StepReport} from '../../../src/scenario/runner.js'
import type {CliOutcome} from '../../../src/scenario/stepCheck.js'
import type {Clock} from '../../../src/scenario/within.js'

const ok = (json: unknown): CliOutcome => ({code: 0, stdout: JSON.stringify(json), stderr: '', ms: 1})
const failed = (code: number, message: string): CliOutcome => ({code, stdout: JSON.stringify({error: {code: 'X', message}}), stderr: `gdmarket: ${message}\n`, ms: 1})

/** A fake gdmarket: answers each command line from a script, and records what it was asked. */
function fakeCli(answer: (line: string, call: number) => CliOutcome) {
  const calls: string[] = []
  const execute: StepExecutor = async (args) => {
    calls.push(args.join(' '))
    return answer(args.join(' '), calls.length)
  }
  return {execute, calls}
}

const instantClock: Clock = (() => {
  let now = 0
  return {now: () => now, sleep: async (ms: number) => void (now += ms)}
})()

async function run(yaml: string, execute: StepExecutor): Promise<StepReport[]> {
  return runScenario(parseScenario(yaml, 't.yaml'), {execute, signal: new AbortController().signal, clock: instantClock})
}

describe('running a scenario', () => {
  it('runs each step with --json, saves values and substitutes them into later steps', async () => {
    const cli = fakeCli((line) =>
      line.startsWith('item register') ? ok({itemNo: 7, itemStatus: 'Rentable'}) : line.startsWith('reserve') ? ok({reservationNo: 3, itemNo: 7}) : ok([{itemNo: 7, itemStatus: 'NotRentable'}]),
    )
    const reports = await run(
      `steps:
  - run: item register --name "Big tent" --price 40
    expect: { itemStatus: Rentable }
    save: { item: itemNo }
  - run: reserve \${item} --customer Young
    expect: { itemNo: "\${item}" }
    save: { res: reservationNo }
  - run: view
    expect: [ { itemNo: "\${item}", itemStatus: NotRentable } ]
`,
      cli.execute,
    )
    expect(cli.calls).toEqual(['item register --name Big tent --price 40 --json', 'reserve 7 --customer Young --json', 'view --json'])
    expect(reports.map((r) => [r.status, r.command])).toEqual([
      ['passed', 'item register --name "Big tent" --price 40'],
      ['passed', 'reserve 7 --customer Young'],
      ['passed', 'view'],
    ])
  })

  it('does not add --json twice', async () => {
    const cli = fakeCli(() => ok({}))
    await run('steps: [{run: view --json}]', cli.execute)
    expect(cli.calls).toEqual(['view --json'])
  })

  it('checks the exit code: 0 by default, else the expected one, and says what the command said', async () => {
    const cli = fakeCli((line) => (line.startsWith('pay') ? failed(5, 'the payment service is stopped; start it …') : ok({})))
    const reports = await run('steps:\n  - run: pay 1\n    exit: 5\n  - run: pay 2\n', cli.execute)
    expect(reports[0].status).toBe('passed')
    expect(reports[1]).toMatchObject({status: 'failed', line: 4, problem: 'exited 5, expected 0: the payment service is stopped; start it …'})
  })

  it('matches the error output of a refused command', async () => {
    const cli = fakeCli(() => failed(3, 'reservation 1 is Cancelled'))
    const [report] = await run('steps:\n  - run: reservation cancel 1\n    exit: 3\n    expect: {error: {code: Y}}\n', cli.execute)
    expect(report).toMatchObject({status: 'failed', problem: 'error.code: expected "Y", got "X"'})
  })

  it('fails a step whose save path is not in the output', async () => {
    const cli = fakeCli(() => ok({itemNo: 1}))
    const [report] = await run('steps:\n  - run: item show 1\n    save: {res: reservationNo}\n', cli.execute)
    expect(report).toMatchObject({status: 'failed', problem: 'save res: the output has no reservationNo: {"itemNo":1}'})
  })

  it('fails a step whose output is not JSON when it has something to check', async () => {
    const cli = fakeCli(() => ({code: 0, stdout: 'Deleted item 1.\n', stderr: '', ms: 1}))
    const [report] = await run('steps:\n  - run: item delete 1\n    expect: {deleted: true}\n', cli.execute)
    expect(report).toMatchObject({status: 'failed', problem: 'its output is not JSON: "Deleted item 1."'})
  })

  it('stops a file at its first failed step and reports the rest as skipped', async () => {
    const cli = fakeCli(() => ok({itemStatus: 'Rentable'}))
    const reports = await run('steps:\n  - run: view\n  - run: item show 1\n    expect: {itemStatus: NotRentable}\n  - run: lend 1\n  - run: view\n', cli.execute)
    expect(reports.map((r) => r.status)).toEqual(['passed', 'failed', 'skipped', 'skipped'])
    expect(cli.calls).toHaveLength(2)
  })

  it('tries a step with within again until it matches', async () => {
    const cli = fakeCli((_, call) => ok({itemStatus: call < 4 ? 'Rentable' : 'NotRentable'}))
    const [report] = await run('steps:\n  - run: item show 1\n    expect: {itemStatus: NotRentable}\n    within: 5s\n', cli.execute)
    expect(report).toMatchObject({status: 'passed', tries: 4})
  })

  it('retries a wrong exit code too within its time (a service still starting)', async () => {
    const cli = fakeCli((_, call) => (call < 3 ? failed(5, 'the item service is offline') : ok({itemStatus: 'NotRentable'})))
    const [report] = await run('steps:\n  - run: item show 1\n    within: 2s\n', cli.execute)
    expect(report).toMatchObject({status: 'passed', tries: 3})
  })

  it('fails a within step that never matches, after its time, with the last reason', async () => {
    const cli = fakeCli(() => ok({itemStatus: 'Rentable'}))
    const [report] = await run('steps:\n  - run: item show 1\n    expect: {itemStatus: NotRentable}\n    within: 1s\n', cli.execute)
    expect(report).toMatchObject({status: 'failed', withinMs: 1000, ms: 1000, problem: 'itemStatus: expected "NotRentable", got "Rentable"'})
    expect(report.tries).toBeGreaterThan(1)
  })

  it('does not retry a step without within', async () => {
    const cli = fakeCli(() => ok({itemStatus: 'Rentable'}))
    const [report] = await run('steps:\n  - run: item show 1\n    expect: {itemStatus: NotRentable}\n', cli.execute)
    expect(report).toMatchObject({status: 'failed', tries: 1})
  })
})

describe('interrupted (Ctrl-C)', () => {
  it('returns the steps that finished and runs no more', async () => {
    const interrupt = new AbortController()
    const cli = fakeCli((line) => {
      if (line.startsWith('item show')) interrupt.abort(new Error('SIGINT'))
      return ok({itemStatus: 'Rentable'})
    })
    const execute: StepExecutor = async (args, signal) => {
      const outcome = await cli.execute(args, signal)
      signal.throwIfAborted() // as the real executor does when its process is stopped
      return outcome
    }
    const scenario = parseScenario('steps:\n  - run: view\n  - run: item show 1\n    expect: {itemStatus: NotRentable}\n    within: 1m\n  - run: view\n', 't.yaml')
    const reports = await runScenario(scenario, {execute, signal: interrupt.signal, clock: instantClock})
    expect(reports.map((r) => r.status)).toEqual(['passed'])
    expect(cli.calls).toHaveLength(2)
  })

  describe('a race: command lines at once, judged by how many win', () => {
    const race = `steps:
  - race:
      - reserve 1 --customer Ann --from \${day3} --to \${day5}
      - reserve 1 --customer Bo --from \${day4} --to \${day6}
      - reserve 1 --customer Cy --from \${day5} --to \${day5}
    winners: 1
`
    it('passes when exactly the winners succeed and every other line is refused (exit 3), with the built-in days substituted', async () => {
      const cli = fakeCli((_line, call) => (call === 2 ? ok({reservationNo: 1}) : failed(3, 'item 1 is booked')))
      const [report] = await run(race, cli.execute)
      expect(report).toMatchObject({status: 'passed', command: 'race of 3: 1 won, 2 refused'})
      expect(cli.calls).toHaveLength(3)
      expect(cli.calls[0]).toMatch(/^reserve 1 --customer Ann --from \d{4}-\d{2}-\d{2} --to \d{4}-\d{2}-\d{2} --json$/)
    })

    it('fails when two win (the rule did not hold), and when a loser failed otherwise than by a rule', async () => {
      const twoWin = fakeCli((_line, call) => (call === 3 ? failed(3, 'booked') : ok({reservationNo: call})))
      expect((await run(race, twoWin.execute))[0]).toMatchObject({status: 'failed', problem: expect.stringContaining('2 of 3 won')})
      const down = fakeCli((_line, call) => (call === 1 ? ok({}) : failed(5, 'unavailable')))
      expect((await run(race, down.execute))[0]).toMatchObject({status: 'failed', problem: expect.stringContaining('exits: 0, 5, 5')})
    })

    it('refuses, before anything runs, a race with expect:, and a step with both run: and race:', () => {
      expect(() => parseScenario(`steps:\n  - race: [view, view]\n    expect: []\n`, 't.yaml')).toThrow(/expect: a race is judged by winners:/)
      expect(() => parseScenario(`steps:\n  - run: view\n    race: [view, view]\n`, 't.yaml')).toThrow(/run: \(one command line\) or race: \(several at once\), one of them/)
      expect(() => parseScenario(`steps:\n  - run: view\n    winners: 1\n`, 't.yaml')).toThrow(/winners: goes with race:/)
    })
  })
})