import {readFileSync} from 'node:fs'
import path from 'node:path'

import {isMap, isNode, isScalar, LineCounter, parseDocument, type Document} from 'yaml'
import type {z} from 'zod'

import {commandProblem, type CommandCatalog} from './commandCheck.js'
import {splitCommandLine} from './commandLine.js'
import {parseDuration} from './duration.js'
import {parsePath} from './dotPath.js'
import {scenarioSchema, type RawScenario, type Scenario, type Step} from './scenarioFile.js'
import {builtInDays, referencedNames, referencedNamesDeep, variableName} from './variables.js'

/** A scenario file that cannot run, with the line to fix (exit 2). */
export class ScenarioFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    readonly problem: string,
  ) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${problem}`)
  }
}

/** A scenario file, read and checked; with the CLI's `catalog`, every step's command line too. */
export function loadScenario(file: string, catalog?: CommandCatalog): Scenario {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ScenarioFileError(file, undefined, code === 'ENOENT' ? 'no such file' : `cannot read it (${(error as Error).message})`)
  }
  return parseScenario(text, file, catalog)
}

/**
 * Reads a scenario from YAML or JSON text (the yaml parser reads both, and gives positions for
 * both), validates it and checks what a schema cannot: each command line splits into words, it
 * leaves `--data-dir` to the runner, every `${name}` is saved by an earlier step, and (given the
 * CLI's catalog) its command, flags and arguments are ones the CLI takes.
 */
export function parseScenario(text: string, file: string, catalog?: CommandCatalog): Scenario {
  const lines = new LineCounter()
  const doc = parseDocument(text, {lineCounter: lines, prettyErrors: false})
  const fail = (line: number | undefined, problem: string): never => {
    throw new ScenarioFileError(file, line, problem)
  }
  const [syntax] = doc.errors
  if (syntax) fail(lines.linePos(syntax.pos[0]).line, `not valid YAML or JSON: ${syntax.message.split('\n')[0]}`)

  const data = doc.toJS() as {steps?: unknown} | null
  // `- item register …`: a step written as the bare command line, not as `- run: …`
  const listed = Array.isArray(data?.steps) ? (data.steps as unknown[]) : []
  const bare = listed.findIndex((step) => typeof step === 'string')
  if (bare >= 0) {
    const line = (listed[bare] as string).replace(/^run\s+/, '')
    fail(lineOf(doc, lines, ['steps', bare]), `step ${bare + 1}: a step is a map with run:; write it as \`- run: ${line}\``)
  }
  const parsed = scenarioSchema.safeParse(data)
  if (!parsed.success) {
    // a misspelt key explains best what is wrong: `step:` is why `steps:` is missing
    const issue = parsed.error.issues.find((i) => i.code === 'unrecognized_keys') ?? parsed.error.issues[0]
    fail(lineOfIssue(doc, lines, issue), `${where(issue.path)}${problemOf(issue)}`)
  }
  const raw = parsed.data!
  const lineAt = (p: (string | number)[]) => lineOf(doc, lines, p)

  // the days a booking for dates can name, built in: ${today}, ${day1} (tomorrow) … ${day90}
  const saved = new Set<string>(builtInDays().keys())
  const steps = raw.steps.map((s, i) => stepOf(s, i, {at: (key) => lineAt(['steps', i, key]), fail, saved, catalog}))
  return {file, name: raw.name ?? path.basename(file).replace(/\.(ya?ml|json)$/i, ''), steps}
}

interface StepContext {
  at(key: string): number | undefined
  fail(line: number | undefined, problem: string): never
  /** the variables saved by the steps before (and the built-in days) */
  saved: Set<string>
  catalog?: CommandCatalog
}

/** One step, checked: a command line (run:), or command lines run at once (race:). */
function stepOf(s: RawScenario['steps'][number], i: number, {at, fail, saved, catalog}: StepContext): Step {
  const label = `step ${i + 1}: `
  if ((s.run === undefined) === (s.race === undefined)) fail(at('run') ?? at('race'), `${label}a step has run: (one command line) or race: (several at once), one of them`)
  const key = s.run === undefined ? 'race' : 'run'
  if (key === 'race') {
    const extra = (['expect', 'save', 'exit', 'within'] as const).find((k) => Object.hasOwn(s, k))
    if (extra) fail(at(extra), `${label}${extra}: a race is judged by winners: (how many lines succeed; the rest must be refused, exit 3)`)
  } else if (s.winners !== undefined) fail(at('winners'), `${label}winners: goes with race:, not run:`)
  const check = (names: string[], where: string) => {
    for (const name of names) {
      if (!variableName.test(name)) fail(at(where), `${label}${where}: \${${name}} is not a variable name`)
      if (!saved.has(name)) fail(at(where), `${label}${where}: \${${name}} is used before a step saves it (save: {${name}: …})`)
    }
  }
  const lines = s.race ?? [s.run!]
  const words = lines.map((line) => {
    const checked = commandWords(line, `${label}${key}: `, (problem) => fail(at(key), problem), catalog)
    check(referencedNames(line), key)
    return checked
  })
  check(referencedNamesDeep(s.expect), 'expect')
  const save = Object.entries(s.save ?? {}).map(([name, p]) => ({name, path: p, segments: parsePath(p)!}))
  for (const {name} of save) saved.add(name)
  return {
    number: i + 1,
    line: at(key) ?? 0,
    run: s.run ?? `race of ${lines.length}: ${lines[0]} …`,
    words: words[0],
    ...(s.race ? {race: words} : {}),
    winners: s.winners ?? 1,
    hasExpect: Object.hasOwn(s, 'expect'),
    expect: s.expect,
    save,
    exit: s.exit ?? 0,
    withinMs: s.within === undefined ? undefined : parseDuration(s.within),
  }
}

/** One command line's words, checked: a gdmarket command the CLI takes, without --data-dir or --follow. */
function commandWords(line: string, label: string, fail: (problem: string) => never, catalog?: CommandCatalog): string[] {
  let words: string[] = []
  try {
    words = splitCommandLine(line)
  } catch (error) {
    fail(`${label}${(error as Error).message}`)
  }
  if (words[0] === 'gdmarket') words = words.slice(1) // people copy whole command lines
  if (words.length === 0) fail(`${label}needs a gdmarket command`)
  if (words.some((w) => w === '--data-dir' || w.startsWith('--data-dir='))) fail(`${label}leave out --data-dir; the runner runs every step against its stack`)
  // a step must end by itself: a follower would only be stopped by the step timeout, minutes later
  if (words.some((w) => w === '--follow' || w === '-f' || w.startsWith('--follow='))) {
    fail(`${label}leave out --follow; a step must end by itself (use within: to wait for a change)`)
  }
  const wrong = catalog && commandProblem(words, catalog)
  if (wrong) fail(`${label}${wrong}`)
  return words
}

/** `step 3: exit: …` for a path like ['steps', 2, 'exit'] */
function where(p: PropertyKey[]): string {
  if (p[0] !== 'steps' || typeof p[1] !== 'number') return ''
  return `step ${p[1] + 1}: `
}

function problemOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const known = issue.path.length === 0 ? 'name, steps' : 'run, expect, save, exit, within, race, winners'
    return `unknown key "${issue.keys[0]}" (known: ${known})`
  }
  if (issue.code === 'invalid_key') return `save: "${String(issue.path.at(-1))}" is not a variable name (letters, digits and _)`
  return issue.message
}

function lineOfIssue(doc: Document, lines: LineCounter, issue: z.core.$ZodIssue): number | undefined {
  const p = issue.path as (string | number)[]
  // for an unknown key, point at the key itself rather than at the map holding it
  if (issue.code === 'unrecognized_keys') return lineOf(doc, lines, p, issue.keys[0])
  if (issue.code === 'invalid_key') return lineOf(doc, lines, p.slice(0, -1), String(p.at(-1)))
  return lineOf(doc, lines, p)
}

/** The line of the node at `p`, or of its nearest ancestor that exists (a missing key). */
function lineOf(doc: Document, lines: LineCounter, p: (string | number)[], key?: string): number | undefined {
  for (let n = p.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(p.slice(0, n), true)
    if (!isNode(node) || !node.range) continue
    if (n === p.length && key !== undefined && isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === key)
      const range = pair && isScalar(pair.key) ? pair.key.range : undefined
      if (range) return lines.linePos(range[0]).line
    }
    return lines.linePos(node.range[0]).line
  }
  return undefined
}
