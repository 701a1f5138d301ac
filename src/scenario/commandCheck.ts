import type {Interfaces} from '@oclif/core'

import {unknownCommandMessage} from '../cli/unknownCommand.js'
import {usageMessage} from '../cli/usageError.js'

/**
 * A step's command line checked against the CLI's commands, flags and arguments when the file is
 * read (docs/scenarios.md): a misspelt command or flag is found before any stack starts, not
 * after a stack has started and the steps before it have run.
 */

/** A command as the check needs it, from oclif's manifest (the same the CLI parses with). */
export interface KnownCommand {
  /** in words: `item register` */
  id: string
  flags: Record<string, {type: 'boolean' | 'option'; char?: string; required?: boolean; options?: readonly string[]}>
  args: {name: string; description?: string; required?: boolean; options?: readonly string[]}[]
  /** false: any number of arguments (`scenario run FILE...`) */
  strict: boolean
}

export interface CommandCatalog {
  commands: KnownCommand[]
  /** topics with commands under them (`item`), for the suggestion of a mistyped one */
  topics: string[]
}

/** The CLI's own catalog, from its oclif config. */
export function catalogOf(config: Interfaces.Config): CommandCatalog {
  const visible = config.commands.filter((c) => !c.hidden)
  const ids = new Set(visible.map((c) => c.id))
  return {
    commands: visible.map((c) => ({
      id: c.id.replaceAll(':', ' '),
      flags: c.flags as KnownCommand['flags'],
      args: Object.values(c.args ?? {}) as KnownCommand['args'],
      strict: c.strict !== false,
    })),
    topics: config.topics.map((t) => t.name).filter((t) => !ids.has(t)),
  }
}

/** `${name}`, filled in when the step runs: its value is not known yet. */
const isVariable = (word: string) => word.includes('${')

/** What is wrong with a step's command line, in the CLI's own words, or undefined. */
export function commandProblem(words: string[], catalog: CommandCatalog): string | undefined {
  if (words.length === 0 || isVariable(words[0])) return undefined
  const command = catalog.commands
    .filter((c) => c.id.split(' ').every((w, i) => words[i] === w))
    .sort((a, b) => b.id.length - a.id.length)[0]
  if (!command) {
    const firstFlag = words.findIndex((w) => w.startsWith('-'))
    const typed = firstFlag <= 0 ? words : words.slice(0, firstFlag)
    const names = [...catalog.commands.map((c) => c.id), ...catalog.topics]
    return unknownCommandMessage(typed, names, catalog.topics)
  }
  return argumentProblem(command, words.slice(command.id.split(' ').length))
}

/** The flags and arguments after the command, as oclif will parse them. */
function argumentProblem(command: KnownCommand, rest: string[]): string | undefined {
  const given = new Set<string>()
  const positional: string[] = []
  const say = (fact: string) => `${usageMessage(Object.assign(new Error(fact), {oclif: {exit: 2}}), {flags: Object.keys(command.flags)})} (see \`gdmarket ${command.id} --help\`)`
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i]
    if (word === '--') {
      positional.push(...rest.slice(i + 1))
      break
    }
    if (!word.startsWith('-') || /^-\d/.test(word)) {
      positional.push(word)
      continue
    }
    const {name, inline} = flagOf(word, command)
    const flag = name !== undefined && Object.hasOwn(command.flags, name) ? command.flags[name] : undefined
    if (name === undefined || !flag) {
      if (word === '--help' || word === '-h') continue
      return say(`Nonexistent flag: ${word.split('=')[0]}`)
    }
    given.add(name)
    if (flag.type === 'boolean') continue
    const value = inline ?? rest[++i]
    if (value === undefined || (inline === undefined && value.startsWith('--'))) return say(`Flag --${name} expects a value`)
    if (flag.options && !isVariable(value) && !flag.options.includes(value)) return say(`Expected --${name}=${value} to be one of: ${flag.options.join(', ')}`)
  }
  const missingFlags = Object.keys(command.flags).filter((f) => command.flags[f].required && !given.has(f))
  if (missingFlags.length > 0) return say(missingFlags.map((f) => `Missing required flag ${f}`).join('\n'))
  const missingArgs = command.args.slice(positional.length).filter((a) => a.required)
  if (missingArgs.length > 0) {
    const error = Object.assign(new Error(`Missing ${missingArgs.length} required arg`), {oclif: {exit: 2}, args: missingArgs})
    return `${usageMessage(error, {flags: []})} (see \`gdmarket ${command.id} --help\`)`
  }
  if (command.strict && positional.length > command.args.length) return say(`Unexpected argument: ${positional.slice(command.args.length).join(', ')}`)
  for (const [i, arg] of command.args.entries()) {
    const value = positional[i]
    if (value !== undefined && arg.options && !isVariable(value) && !arg.options.includes(value)) return say(`Expected ${value} to be one of: ${arg.options.join(', ')}`)
  }
  return undefined
}

/** `--name=Lamp` → name, Lamp; `--name` → name; `-c` → the flag whose char it is. */
function flagOf(word: string, command: KnownCommand): {name: string | undefined; inline: string | undefined} {
  if (!word.startsWith('--')) return {name: Object.keys(command.flags).find((f) => command.flags[f].char === word.slice(1)), inline: undefined}
  const eq = word.indexOf('=')
  return eq < 0 ? {name: word.slice(2), inline: undefined} : {name: word.slice(2, eq), inline: word.slice(eq + 1)}
}
