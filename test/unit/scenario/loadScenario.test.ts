import {describe, expect, it} from 'vitest'

import {parseScenario, ScenarioFileError} from '../../../src/scenario/loadScenario.js'

/** The error a text gives, as {line, problem}; fails the test when it is valid. */
function invalid(text: string): {line: number | undefined; problem: string; message: string} {
  try {
    parseScenario(text, 'bad.yaml')
  } catch (error) {
    if (error instanceof ScenarioFileError) return {line: error.line, problem: error.problem, message: error.message}
    throw error
  }
  throw new Error('expected the file to be refused')
}

describe('reading a scenario file', () => {
  it('reads the example of docs/scenarios.md', () => {
    const scenario = parseScenario(
      `name: reserve and pay while payment is down
steps:
  - run: item register --name Camera --price 100     # one gdmarket command line, run with --json
    expect: { itemStatus: Rentable }
    save: { item: itemNo }
  - run: reserve \${item} --customer Young
    save: { res: reservationNo }
  - run: service stop payment
  - run: pay \${res}
    exit: 5
  - run: view
    expect: [ { itemNo: "\${item}", itemStatus: NotRentable } ]
    within: 3s
`,
      'example.yaml',
    )
    expect(scenario.name).toBe('reserve and pay while payment is down')
    expect(scenario.steps).toHaveLength(5)
    expect(scenario.steps[0]).toMatchObject({
      number: 1,
      line: 3,
      words: ['item', 'register', '--name', 'Camera', '--price', '100'],
      hasExpect: true,
      expect: {itemStatus: 'Rentable'},
      save: [{name: 'item', path: 'itemNo', segments: ['itemNo']}],
      exit: 0,
      withinMs: undefined,
    })
    expect(scenario.steps[3]).toMatchObject({line: 9, exit: 5, hasExpect: false})
    expect(scenario.steps[4]).toMatchObject({line: 11, withinMs: 3000, expect: [{itemNo: '${item}', itemStatus: 'NotRentable'}]})
  })

  it('reads JSON of the same shape, and names the file when the name is left out', () => {
    const scenario = parseScenario('{"steps": [{"run": "view", "expect": [], "within": "500ms"}]}', 'dir/quick-check.json')
    expect(scenario).toMatchObject({name: 'quick-check', steps: [{run: 'view', withinMs: 500, hasExpect: true}]})
  })

  it('takes a leading "gdmarket" in a command line as people copy it', () => {
    expect(parseScenario('steps: [{run: gdmarket view}]', 'x.yaml').steps[0].words).toEqual(['view'])
  })

  it('keeps `expect: null` apart from no expect at all', () => {
    const [withNull, without] = parseScenario('steps:\n  - {run: view, expect: null}\n  - {run: view}\n', 'x.yaml').steps
    expect(withNull).toMatchObject({hasExpect: true, expect: null})
    expect(without).toMatchObject({hasExpect: false})
  })
})

describe('an invalid scenario file names the line to fix', () => {
  it('YAML that does not parse', () => {
    const e = invalid('name: x\nsteps:\n  - run: view\n    expect: [ { itemNo: 1 }\n  - run: view\n')
    expect(e.line).toBe(5)
    expect(e.problem).toMatch(/^not valid YAML or JSON: /)
    expect(e.message).toMatch(/^bad\.yaml:5: /)
  })

  it('a misspelt key, at its own line', () => {
    const e = invalid('steps:\n  - run: view\n\n    expct: []\n')
    expect(e).toMatchObject({line: 4, problem: 'step 1: unknown key "expct" (known: run, expect, save, exit, within, race, winners)'})
  })

  it('an unknown top-level key', () => {
    expect(invalid('name: x\nstep:\n  - run: view\n')).toMatchObject({line: 2, problem: 'unknown key "step" (known: name, steps)'})
  })

  it('no steps', () => {
    expect(invalid('name: x\n')).toMatchObject({line: 1, problem: 'steps: a list of steps, each with run:'})
    expect(invalid('name: x\nsteps: []\n')).toMatchObject({line: 2, problem: 'steps: at least one step'})
  })

  it('an empty file', () => {
    expect(invalid('')).toMatchObject({problem: 'a scenario is a map with name: and steps:'})
  })

  it('a step without run:', () => {
    expect(invalid('steps:\n  - run: view\n  - expect: []\n')).toMatchObject({line: 3, problem: 'step 2: a step has run: (one command line) or race: (several at once), one of them'})
  })

  it('an exit code that is not a whole number 0–255', () => {
    for (const exit of ['five', '3.5', '300', '-1']) {
      expect(invalid(`steps:\n  - run: view\n  - run: pay 1\n    exit: ${exit}\n`), exit).toMatchObject({line: 4, problem: 'step 2: exit: a whole number 0–255'})
    }
  })

  it('a within without its unit', () => {
    expect(invalid('steps:\n  - run: view\n    within: 3\n')).toMatchObject({line: 3, problem: 'step 1: within: a duration with its unit, e.g. 3s or 500ms'})
    expect(invalid('steps:\n  - run: view\n    within: soon\n')).toMatchObject({line: 3})
  })

  it('a save that is not variable: dot.path', () => {
    expect(invalid('steps:\n  - run: view\n    save: { item: "a b" }\n')).toMatchObject({
      line: 3,
      problem: 'step 1: not a dot path into the output (e.g. itemNo, error.code, [0].itemNo)',
    })
    expect(invalid('steps:\n  - run: view\n    save:\n      1st: itemNo\n')).toMatchObject({
      line: 4,
      problem: 'step 1: save: "1st" is not a variable name (letters, digits and _)',
    })
  })

  it('a variable used before any step saves it, in run: or in expect:', () => {
    expect(invalid('steps:\n  - run: reserve ${item} --customer x\n    save: {item: itemNo}\n')).toMatchObject({
      line: 2,
      problem: 'step 1: run: ${item} is used before a step saves it (save: {item: …})',
    })
    expect(invalid('steps:\n  - run: view\n  - run: view\n    expect: [{itemNo: "${itme}"}]\n')).toMatchObject({line: 4, problem: expect.stringContaining('${itme} is used before')})
  })

  it('an unterminated quote in a command line', () => {
    expect(invalid('steps:\n  - run: view\n  - run: item register --name "Big tent --price 4\n')).toMatchObject({
      line: 3,
      problem: 'step 2: run: unterminated " quote',
    })
  })

  it('a --data-dir in a step: the runner owns it', () => {
    expect(invalid('steps:\n  - run: view --data-dir /tmp/x\n')).toMatchObject({line: 2, problem: expect.stringContaining('leave out --data-dir')})
  })

  it('JSON with a mistake, at its line', () => {
    expect(invalid('{\n  "steps": [\n    {"run": "view", "exit": "0"}\n  ]\n}\n')).toMatchObject({line: 3, problem: 'step 1: exit: a whole number 0–255'})
  })

  it('a step written as the bare command line: how to write it, never zod\'s "expected object, received string"', () => {
    expect(invalid('steps:\n  - run: view\n  - item register --name Tent --price 40\n')).toMatchObject({
      line: 3,
      problem: 'step 2: a step is a map with run:; write it as `- run: item register --name Tent --price 40`',
    })
    expect(invalid('steps:\n  - 42\n')).toMatchObject({line: 2, problem: 'step 1: a step is a map with run: (and expect:, save:, exit:, within:), or race: (and winners:)'})
    expect(invalid('name: ""\nsteps:\n  - run: view\n')).toMatchObject({line: 1, problem: 'name: text, not empty'})
  })

  it("with the CLI's catalog: a misspelt command or flag, at its step's line", () => {
    const catalog = {
      commands: [{id: 'reserve', flags: {customer: {type: 'option' as const, required: true}}, args: [{name: 'itemNo', required: true}], strict: true}],
      topics: [],
    }
    expect(() => parseScenario('steps:\n  - run: reserve 1 --customer Kim\n', 'x.yaml', catalog)).not.toThrow()
    let error: unknown
    try {
      parseScenario('steps:\n  - run: reserve 1 --customer Kim\n  - run: reserv 2 --customer Kim\n', 'x.yaml', catalog)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ScenarioFileError)
    expect((error as ScenarioFileError).message).toBe('x.yaml:3: step 2: run: "reserv" is not a gdmarket command; did you mean "reserve"? (see `gdmarket --help`)')
  })
})
