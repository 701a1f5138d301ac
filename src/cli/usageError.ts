import {distance} from 'fastest-levenshtein'

/**
 * oclif's usage errors (a missing argument, an unknown flag, a value it does not take) in the
 * project's words: one line that names what is wrong (docs/commands.md#refusals-and-mistakes).
 * oclif words them for itself ("Missing 1 required arg:\nname  (item|reservation|…) which
 * service", "Flag --name expects a value", "See more help with --help"), several to a message.
 */

/** What a usage error needs to know of its command. */
export interface UsageContext {
  /** the command's flags, without dashes: `customer`, `customer-id` (to name the one meant) */
  flags: string[]
}

/** An argument as oclif reports a missing one (RequiredArgsError.args). */
interface MissingArg {
  name: string
  description?: string
  options?: readonly string[]
}

/** oclif's parse errors carry `oclif.exit`; its RequiredArgsError carries the missing args. */
export type OclifUsageError = Error & {oclif?: {exit?: number}; args?: unknown}

// oclif colours a reason dim on a terminal
const ansi = /\u001B\[[0-9;]*m/g

/** "a", "a and b", "a, b and c" */
const both = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`)
/** "a", "a or b", "a, b or c" */
const either = (items: readonly string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)}`)

/** The error's facts, one per line, without oclif's frame ("The following errors occurred:", "See more help…"). */
function factsOf(message: string): string[] {
  return message
    .replace(ansi, '')
    .replace(/^Parsing (--[\w-]+)\s*\n\s*/, '$1: ') // a flag's own parser failed: its message follows
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !/^(The following errors? occurred:|See more help with --help)$/.test(line))
}

/**
 * `the service is missing: item, reservation, payment or view`; `the setting and the value are
 * missing`. An argument's description is a noun phrase, perhaps with more after `:`, `(` or `,`
 * for its help ("setting: port, httpPort, …"): the phrase names it.
 */
function missingArgs(args: MissingArg[]): string {
  const names = args.map((a) => `the ${(a.description ?? a.name.toLowerCase()).split(/[:(,]/)[0].trim()}`)
  const options = args.length === 1 && args[0].options ? `: ${either(args[0].options)}` : ''
  return `${both(names)} ${args.length === 1 ? 'is' : 'are'} missing${options}`
}

/** `there is no flag --custmer; did you mean --customer?` */
function unknownFlags(flags: string[], known: string[]): string {
  const [first] = flags
  const typed = first.replace(/^-+/, '').split('=')[0]
  const near = known
    .map((name) => ({name, d: distance(typed, name)}))
    .filter(({d}) => d > 0 && d <= Math.max(2, Math.ceil(typed.length / 3)))
    .sort((a, b) => a.d - b.d)[0]
  const rest = flags.length > 1 ? ` (nor ${both(flags.slice(1))})` : ''
  return `there is no flag ${first}${rest}${near ? `; did you mean --${near.name}?` : ''}`
}

/** One fact of oclif's in our words; `undefined` for one we do not know (it is kept as it is). */
const rewordings: [RegExp, (...groups: string[]) => string][] = [
  [/^Expected (--[\w-]+)=(.*) to be one of: (.+)$/, (flag, value, options) => `${flag}: "${value}" is not one of: ${options}`],
  [/^Expected (.*) to be one of: (.+)$/, (value, options) => `"${value}" is not one of: ${options}`],
  [/^Flag (--[\w-]+) expects a value$/, (flag) => `${flag} needs a value`],
  [/^Flag (--[\w-]+) expects one of these values: (.+)$/, (flag, options) => `${flag} needs a value, one of: ${options}`],
  [/^Flag (--[\w-]+) can only be specified once$/, (flag) => `${flag} is given more than once; give it once`],
  [/^(--[\w-]+)=.* cannot also be provided when using (--[\w-]+)$/, (flag, other) => `${other} and ${flag} do not go together: give one of them`],
  [/^(--[\w-]+) cannot also be provided when using (--[\w-]+)$/, (flag, other) => `${other} and ${flag} do not go together: give one of them`],
  [
    /^Unexpected arguments?: (.+)$/,
    (extra) => {
      const n = extra.split(', ').length
      return `${n === 1 ? 'one argument' : `${n} arguments`} too many: ${extra}`
    },
  ],
]

/** What a usage error says, in one line without the help pointer (the caller adds it). */
export function usageMessage(error: OclifUsageError, context: UsageContext): string {
  if (Array.isArray(error.args) && /^Missing \d+ required args?/.test(error.message)) return missingArgs(error.args as MissingArg[])
  const facts = factsOf(error.message)
  const nonexistent = /^Nonexistent flags?: (.+)$/.exec(facts[0] ?? '')
  if (nonexistent) return unknownFlags(nonexistent[1].split(', '), context.flags)
  // several missing flags come as one reason each
  const required = facts.map((f) => /^Missing required flag ([\w-]+)$/.exec(f)?.[1]).filter((f): f is string => f !== undefined)
  const others = facts.filter((f) => !/^Missing required flag /.test(f))
  const parts = [
    ...(required.length > 0 ? [`${both(required.map((f) => `--${f}`))} ${required.length === 1 ? 'is' : 'are'} required`] : []),
    ...others.map((fact) => {
      for (const [pattern, words] of rewordings) {
        const m = pattern.exec(fact)
        if (m) return words(...m.slice(1))
      }
      return fact
    }),
  ]
  return parts.join('; ')
}
