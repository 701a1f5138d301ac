import {getPath} from './dotPath.js'
import {describeMismatch, match, show} from './match.js'
import type {Step} from './scenarioFile.js'

/** What one run of a gdmarket command gave. */
export interface CliOutcome {
  /** null when it did not finish in time and was killed */
  code: number | null
  stdout: string
  stderr: string
  ms: number
}

export type Verdict = {ok: true; saved: [string, unknown][]} | {ok: false; problem: string}

/**
 * Judges one try of a step: the exit code first (default 0), then the JSON output against
 * `expect` (already substituted), then the `save` paths, which must all be there.
 */
export function judge(step: Step, expect: unknown, outcome: CliOutcome): Verdict {
  if (outcome.code === null) return {ok: false, problem: 'did not finish in time and was stopped'}
  if (outcome.code !== step.exit) {
    const why = errorLine(outcome.stderr)
    return {ok: false, problem: `exited ${outcome.code}, expected ${step.exit}${why ? `: ${why}` : ''}`}
  }
  if (!step.hasExpect && step.save.length === 0) return {ok: true, saved: []}
  let output: unknown
  try {
    output = JSON.parse(outcome.stdout)
  } catch {
    return {ok: false, problem: `its output is not JSON: ${show(outcome.stdout.trim())}`}
  }
  if (step.hasExpect) {
    const found = match(expect, output)
    if (found.length > 0) return {ok: false, problem: describeMismatch(found)}
  }
  const saved: [string, unknown][] = []
  for (const {name, path, segments} of step.save) {
    const value = getPath(output, segments)
    if (value === undefined) return {ok: false, problem: `save ${name}: the output has no ${path}: ${show(output)}`}
    saved.push([name, value])
  }
  return {ok: true, saved}
}

/** The command's error line (`gdmarket: …`, docs/commands.md), else the first thing it said on stderr. */
export function errorLine(stderr: string): string {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean)
  return ([...lines].reverse().find((l) => l.startsWith('gdmarket: ')) ?? lines[0] ?? '').replace(/^gdmarket: /, '')
}
