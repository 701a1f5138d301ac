import {z} from 'zod'

import {parseDuration} from './duration.js'
import {parsePath, type PathSegment} from './dotPath.js'
import {variableName} from './variables.js'

/**
 * The shape of a scenario file (docs/scenarios.md), YAML or JSON. Objects are strict: a misspelt key
 * (`expct:`) would otherwise silently check nothing.
 */
const commandLine = (key: string) => z.string({error: `${key}: needs a gdmarket command line (text)`}).trim().min(1, {error: `${key}: needs a gdmarket command line`})

const stepSchema = z.strictObject({
  run: commandLine('run').optional(),
  /** command lines run at once, all of them against the same stack: a race (docs/scenarios.md#a-race) */
  race: z.array(commandLine('race'), {error: 'race: a list of gdmarket command lines'}).min(2, {error: 'race: at least two command lines'}).optional(),
  /** how many of a race's lines must succeed (exit 0); every other one must be refused by a rule (exit 3) */
  winners: z.number({error: 'winners: a whole number'}).int({error: 'winners: a whole number'}).min(0, {error: 'winners: 0 or more'}).optional(),
  /** partial match of the JSON output; anything JSON can hold */
  expect: z.unknown().optional(),
  save: z
    .record(
      z.string().regex(variableName, {error: 'a variable name is letters, digits and _ (not starting with a digit)'}),
      z.string({error: 'save: each variable takes a dot path into the output, e.g. itemNo'}).refine((p) => parsePath(p) !== undefined, {
        error: 'not a dot path into the output (e.g. itemNo, error.code, [0].itemNo)',
      }),
      {error: 'save: a map of variable: dot.path'},
    )
    .optional(),
  exit: z
    .number({error: 'exit: a whole number 0–255'})
    .int({error: 'exit: a whole number 0–255'})
    .min(0, {error: 'exit: a whole number 0–255'})
    .max(255, {error: 'exit: a whole number 0–255'})
    .optional(),
  within: z
    .string({error: 'within: a duration with its unit, e.g. 3s or 500ms'})
    .refine((d) => parseDuration(d) !== undefined, {error: 'within: a duration with its unit, e.g. 3s or 500ms'})
    .optional(),
}, {error: (issue) => (issue.code === 'invalid_type' ? 'a step is a map with run: (and expect:, save:, exit:, within:), or race: (and winners:)' : undefined)})

export const scenarioSchema = z.strictObject(
  {
    name: z.string({error: 'name: text'}).trim().min(1, {error: 'name: text, not empty'}).optional(),
    steps: z.array(stepSchema, {error: 'steps: a list of steps, each with run:'}).min(1, {error: 'steps: at least one step'}),
  },
  {error: 'a scenario is a map with name: and steps:'},
)

export type RawScenario = z.infer<typeof scenarioSchema>

/** A step as the runner uses it: checked, its command line split, its durations in ms. */
export interface Step {
  /** 1-based, as people count */
  number: number
  /** the line of its `run:` in the file */
  line: number
  run: string
  /** the command line's words, `${…}` not yet substituted */
  words: string[]
  /** a race: each line's words, run at once; `winners` of them must exit 0, the rest 3 */
  race?: string[][]
  winners: number
  hasExpect: boolean
  expect: unknown
  save: {name: string; path: string; segments: PathSegment[]}[]
  exit: number
  withinMs: number | undefined
}

export interface Scenario {
  file: string
  name: string
  steps: Step[]
}
