import {joinCommandLine} from './commandLine.js'
import type {Scenario, Step} from './scenarioFile.js'
import {judge, type CliOutcome} from './stepCheck.js'
import {builtInDays, substitute, substituteDeep} from './variables.js'
import {retryWithin, type Clock} from './within.js'

/** Runs one gdmarket command line (the runner adds the stack's --data-dir). */
export type StepExecutor = (args: string[], signal: AbortSignal) => Promise<CliOutcome>

export interface StepReport {
  number: number
  line: number
  /** the command as run, variables substituted; the file's text for a skipped step */
  command: string
  status: 'passed' | 'failed' | 'skipped'
  problem?: string
  ms: number
  tries: number
  withinMs?: number
}

export interface RunOptions {
  execute: StepExecutor
  /** called as each step ends, so people see progress line by line */
  onStep?: (report: StepReport) => void
  signal: AbortSignal
  clock?: Clock
}

/**
 * Runs a scenario's steps in order with its own variables. A file stops at its first failed
 * step: later steps build on what it should have done, and running them would bury the cause
 * under failures that follow from it. They are reported as skipped. When interrupted, it returns
 * the reports of the steps that finished.
 */
export async function runScenario(scenario: Scenario, {execute, onStep, signal, clock}: RunOptions): Promise<StepReport[]> {
  const vars = new Map<string, unknown>(builtInDays())
  const reports: StepReport[] = []
  let failed = false
  for (const step of scenario.steps) {
    let report: StepReport
    try {
      report = failed ? skipped(step) : step.race ? await runRace(step, step.race, vars, execute, signal) : await runStep(step, vars, execute, signal, clock)
    } catch (error) {
      // interrupted (Ctrl-C): the steps done so far are the result; the caller stops the stack
      if (signal.aborted) return reports
      throw error
    }
    failed ||= report.status === 'failed'
    reports.push(report)
    onStep?.(report)
  }
  return reports
}

async function runStep(step: Step, vars: Map<string, unknown>, execute: StepExecutor, signal: AbortSignal, clock?: Clock): Promise<StepReport> {
  const base = {number: step.number, line: step.line, withinMs: step.withinMs}
  let words: string[]
  let expect: unknown
  try {
    words = step.words.map((w) => substitute(w, vars))
    expect = substituteDeep(step.expect, vars)
  } catch (error) {
    // the file is checked for this before anything runs; kept as a plain failure, never a crash
    return {...base, command: step.run, status: 'failed', problem: (error as Error).message, ms: 0, tries: 0}
  }
  // every step is machine-read; a step that already says --json gets it once
  const args = words.includes('--json') ? words : [...words, '--json']
  const {result, tries, elapsedMs} = await retryWithin(async () => judge(step, expect, await execute(args, signal)), step.withinMs, {signal, clock})
  const command = joinCommandLine(words)
  if (!result.ok) return {...base, command, status: 'failed', problem: result.problem, ms: elapsedMs, tries}
  for (const [name, value] of result.saved) vars.set(name, value)
  return {...base, command, status: 'passed', ms: elapsedMs, tries}
}

/**
 * A race: its command lines all at once, against the same stack. It passes when `winners` of them
 * succeed (exit 0) and every other one is refused by a rule (exit 3): the rule held when they raced.
 */
async function runRace(step: Step, race: string[][], vars: Map<string, unknown>, execute: StepExecutor, signal: AbortSignal): Promise<StepReport> {
  const base = {number: step.number, line: step.line, command: `race of ${race.length}: ${joinCommandLine(race[0])} …`}
  let lines: string[][]
  try {
    lines = race.map((words) => words.map((w) => substitute(w, vars)))
  } catch (error) {
    return {...base, status: 'failed', problem: (error as Error).message, ms: 0, tries: 0}
  }
  const began = performance.now()
  const outcomes = await Promise.all(lines.map((words) => execute(words.includes('--json') ? words : [...words, '--json'], signal)))
  const ms = Math.round(performance.now() - began)
  const exits = outcomes.map((o) => o.code)
  const won = exits.filter((code) => code === 0).length
  const others = exits.filter((code) => code !== 0 && code !== 3)
  if (won === step.winners && others.length === 0) return {...base, command: `race of ${race.length}: ${won} won, ${race.length - won} refused`, status: 'passed', ms, tries: 1}
  const problem = `${won} of ${race.length} won (exit 0), ${step.winners} should have, and every other one been refused (exit 3); exits: ${exits.join(', ')}`
  return {...base, status: 'failed', problem, ms, tries: 1}
}

const skipped = (step: Step): StepReport => ({number: step.number, line: step.line, command: step.run, status: 'skipped', ms: 0, tries: 0})
