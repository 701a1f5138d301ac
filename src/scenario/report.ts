import {formatDuration} from './duration.js'
import type {StepReport} from './runner.js'

/** The runner's lines for people (docs/scenarios.md): one per step, a closing `N passed, M failed`. */
export function scenarioHeader(name: string, file: string, stack: {fresh: boolean; port: number; dataDir: string}): string {
  const where = stack.fresh ? `fresh stack on port ${stack.port}` : `the stack of ${stack.dataDir} on port ${stack.port}`
  return `${name}  (${file}, ${where})`
}

export function stepLine(r: StepReport): string {
  const head = `${String(r.number).padStart(3)}. ${r.command}`
  switch (r.status) {
    case 'passed':
      return `  ✓${head}  ${formatDuration(r.ms)}${r.tries > 1 ? `, ${r.tries} tries` : ''}`
    case 'failed': {
      // a step that had time to come right says how long it waited, so nobody wonders if it was too short
      const waited = r.withinMs === undefined ? '' : ` (still so after ${formatDuration(r.ms)}, ${r.tries} tries)`
      return `  ✗${head}  line ${r.line}: ${r.problem}${waited}`
    }
    case 'skipped':
      return `  -${head}  skipped: an earlier step failed`
  }
}

export const summaryLine = (passed: number, failed: number) => `${passed} passed, ${failed} failed`
