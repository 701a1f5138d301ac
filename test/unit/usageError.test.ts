import {Args, Flags, Parser} from '@oclif/core'
import {describe, expect, it} from 'vitest'

import {usageMessage, type OclifUsageError} from '../../src/cli/usageError.js'

/** What oclif's own parser throws for `argv` against these args and flags. */
async function oclifError(argv: string[], options: Parameters<typeof Parser.parse>[1]): Promise<OclifUsageError> {
  try {
    await Parser.parse(argv, options)
  } catch (error) {
    return error as OclifUsageError
  }
  throw new Error(`oclif took ${argv.join(' ')}`)
}

const service = {name: Args.string({description: 'service', required: true, options: ['item', 'reservation', 'payment', 'view']})}
const register = {
  name: Flags.string({required: true}),
  price: Flags.string({required: true}),
  type: Flags.string({options: ['A', 'B']}),
}
const say = async (argv: string[], options: Parameters<typeof Parser.parse>[1]) =>
  usageMessage(await oclifError(argv, options), {flags: Object.keys(options.flags ?? {})})

describe("oclif's usage errors in our words: one line, naming what is wrong", () => {
  it('a missing argument: the thing missing and what it may be (not "the (item|…) which service is missing")', async () => {
    expect(await say([], {args: service})).toBe('the service is missing: item, reservation, payment or view')
    const setArgs = {key: Args.string({description: 'setting: port, httpPort', required: true}), value: Args.string({description: 'value (a whole number)', required: true})}
    expect(await say([], {args: setArgs})).toBe('the setting and the value are missing')
  })

  it('missing flags: all of them in one sentence', async () => {
    expect(await say([], {flags: register})).toBe('--name and --price are required')
    expect(await say(['--name', 'Lamp'], {flags: register})).toBe('--price is required')
  })

  it('an unknown flag: the one meant, by spelling', async () => {
    expect(await say(['--nmae', 'x', '--price', '1'], {flags: register})).toBe('there is no flag --nmae; did you mean --name?')
    expect(await say(['--colour', 'red', '--name', 'x', '--price', '1'], {flags: register})).toBe('there is no flag --colour')
  })

  it("a flag without its value, twice, or with one it does not take; arguments too many", async () => {
    expect(await say(['--name'], {flags: register})).toBe('--name needs a value')
    expect(await say(['--name', 'a', '--name', 'b', '--price', '1'], {flags: register})).toBe('--name is given more than once; give it once')
    expect(await say(['--name', 'a', '--price', '1', '--type', 'C'], {flags: register})).toBe('--type: "C" is not one of: A, B')
    expect(await say(['kitchen'], {args: service})).toBe('"kitchen" is not one of: item, reservation, payment, view')
    expect(await say(['item', 'x', 'y'], {args: service})).toBe('2 arguments too many: x, y')
    expect(await say(['item', 'x'], {args: service})).toBe('one argument too many: x')
  })

  it('flags that exclude each other', async () => {
    const flags = {duration: Flags.string({exclusive: ['cycles']}), cycles: Flags.string()}
    expect(await say(['--duration', '2s', '--cycles', '3'], {flags})).toBe('--duration and --cycles do not go together: give one of them')
  })

  it("never oclif's frame around it", async () => {
    const line = await say([], {flags: register, args: service})
    expect(line).not.toMatch(/See more help|The following|Missing \d|\n/)
  })
})
