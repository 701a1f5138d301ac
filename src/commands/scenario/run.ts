import {readdirSync, statSync} from 'node:fs'
import path from 'node:path'

import {Args} from '@oclif/core'

import {GdCommand} from '../../cli/base.js'
import {interruptible, signalExitCode} from '../../cli/interrupt.js'
import {badInput, GdError, unavailable} from '../../errors.js'
import {resolveDataDir} from '../../paths.js'
import {runGdmarket, stepEnvironment} from '../../scenario/cliProcess.js'
import type {ScenarioFileError} from '../../scenario/loadScenario.js'
import {scenarioHeader, stepLine, summaryLine} from '../../scenario/report.js'
import {runScenario, type StepReport} from '../../scenario/runner.js'
import type {Scenario} from '../../scenario/scenarioFile.js'
import {runningStack, startFreshStack, type StackLease} from '../../scenario/stackLease.js'

/** A step that has not finished after this long is stopped (e.g. a `--follow` that never ends). */
const STEP_TIMEOUT_MS = 120_000

interface FileResult {
  file: string
  name: string
  dataDir: string | null
  port: number | null
  stackPid: number | null
  freshStack: boolean
  passed: number
  failed: number
  steps: StepReport[]
}

interface RunResult {
  passed: number
  failed: number
  interrupted: boolean
  files: FileResult[]
}

export default class ScenarioRun extends GdCommand<typeof ScenarioRun> {
  static override description = `Run scripted scenarios (YAML or JSON; see docs/scenarios.md)
Each file runs against a fresh stack in a temporary data directory (port 0) that is stopped and removed afterwards, also on failure or Ctrl-C — or, with --data-dir, against the stack running there (left running). Every step is a gdmarket command line run with --json; the runner prints one line per step and closes with "N passed, M failed". A file stops at its first failed step.
Exit 0 when every step passed, 1 when one failed, 2 when a file is invalid (nothing runs; the line is named), 5 when --data-dir names a stack that is not running, 130 on Ctrl-C.`
  static override examples = [
    '<%= config.bin %> scenario run scenarios/01-rental.yaml',
    '<%= config.bin %> scenario run scenarios/',
    '<%= config.bin %> scenario run my-check.yaml --data-dir ./data',
  ]
  // FILE... : any number of files or directories
  static override strict = false
  static override args = {file: Args.string({description: 'scenario file or folder (any number of them; a folder stands for its *.yaml, *.yml and *.json files)', required: true})}

  async run(): Promise<RunResult> {
    const {argv} = await this.parse(ScenarioRun)
    const files = expandFiles(argv as string[])
    // a CI job pointed at the wrong folder must not go green with nothing run
    if (files.length === 0) throw badInput(`no scenario files (*.yaml, *.yml, *.json) in ${argv.join(', ')}; nothing was run`, 'NO_SCENARIOS')
    const scenarios = await this.load(files)
    const entry = path.join(this.config.root, 'bin', 'run.js')
    const env = stepEnvironment()
    const target = this.flags['data-dir'] === undefined ? undefined : resolveDataDir(this.flags['data-dir'])
    const existing = target === undefined ? undefined : runningStack(target)
    if (target !== undefined && !existing) {
      throw unavailable(
        'NOT_RUNNING',
        `no stack runs for data dir ${target}; start it with \`gdmarket up --data-dir ${target}\`, or leave out --data-dir for a fresh stack per file`,
      )
    }
    const say = (line: string) => (this.jsonEnabled() ? this.note(line) : this.log(line))

    // Ctrl-C: stop the step that runs, then stop the stacks we started
    const {value: result, signal} = await interruptible(async (stop) => {
      const run: RunResult = {passed: 0, failed: 0, interrupted: false, files: []}
      for (const scenario of scenarios) {
        if (stop.aborted) break
        run.files.push(await this.runFile(scenario, {entry, env, existing, signal: stop, say}))
      }
      return run
    })
    for (const file of result.files) {
      result.passed += file.passed
      result.failed += file.failed
    }
    result.interrupted = signal !== undefined
    if (signal) say(`interrupted (${signal}); the stacks it started are stopped`)
    say(summaryLine(result.passed, result.failed))
    process.exitCode = signal ? signalExitCode(signal) : result.failed > 0 ? 1 : 0
    return result
  }

  /** Every file is read and checked before any stack starts: a typo costs nothing to find. */
  private async load(files: string[]): Promise<Scenario[]> {
    // the YAML parser and the file's schema load only for this command: every other one starts faster
    const {loadScenario, ScenarioFileError} = await import('../../scenario/loadScenario.js')
    const {catalogOf} = await import('../../scenario/commandCheck.js')
    const catalog = catalogOf(this.config) // each step's command, flags and arguments: checked now, not once a stack runs
    const scenarios: Scenario[] = []
    const problems: ScenarioFileError[] = []
    for (const file of files) {
      try {
        scenarios.push(loadScenario(file, catalog))
      } catch (error) {
        if (!(error instanceof ScenarioFileError)) throw error
        problems.push(error)
      }
    }
    if (problems.length === 1) throw badInput(`invalid scenario ${problems[0].message}; nothing was run`, 'INVALID_SCENARIO')
    if (problems.length > 1) {
      for (const p of problems) this.note(`gdmarket: invalid scenario ${p.message}`)
      throw badInput(`${problems.length} scenario files are invalid (above); nothing was run`, 'INVALID_SCENARIO')
    }
    return scenarios
  }

  private async runFile(
    scenario: Scenario,
    {entry, env, existing, signal, say}: {entry: string; env: NodeJS.ProcessEnv; existing?: StackLease; signal: AbortSignal; say: (line: string) => void},
  ): Promise<FileResult> {
    // starting and stopping a stack must not be cut short by Ctrl-C: they run in their own process group
    const stackCli = (args: string[]) => runGdmarket(entry, args, {env, detached: true})
    const result: FileResult = {
      file: scenario.file,
      name: scenario.name,
      dataDir: null,
      port: null,
      stackPid: null,
      freshStack: !existing,
      passed: 0,
      failed: 0,
      steps: [],
    }
    let lease: StackLease
    try {
      lease = existing ?? (await startFreshStack(stackCli))
    } catch (error) {
      if (!(error instanceof GdError)) throw error
      say(`${scenario.name}  (${scenario.file})\n  ✗ ${error.message}`)
      result.failed = 1 // the file could not run: that must fail the run, not pass it silently
      return result
    }
    Object.assign(result, {dataDir: lease.dataDir, port: lease.port, stackPid: lease.pid})
    say(scenarioHeader(scenario.name, scenario.file, lease))
    try {
      result.steps = await runScenario(scenario, {
        execute: (args, stepSignal) =>
          runGdmarket(entry, [...args, '--data-dir', lease.dataDir], {env, signal: stepSignal, timeoutMs: STEP_TIMEOUT_MS}),
        onStep: (report) => say(stepLine(report)),
        signal,
      })
    } finally {
      await lease.release()
    }
    result.passed = result.steps.filter((s) => s.status === 'passed').length
    result.failed = result.steps.filter((s) => s.status === 'failed').length
    return result
  }
}

/** Files as given; a directory stands for its scenario files, in name order. */
function expandFiles(args: string[]): string[] {
  return args.flatMap((arg) => {
    let isDir = false
    try {
      isDir = statSync(arg).isDirectory()
    } catch {} // a missing file is reported when it is read, with the others
    if (!isDir) return [arg]
    return readdirSync(arg)
      .filter((name) => /\.(ya?ml|json)$/i.test(name))
      .sort()
      .map((name) => path.join(arg, name))
  })
}
