import type {Hook, Interfaces} from '@oclif/core'
import {distance} from 'fastest-levenshtein'

import {badInput} from '../errors.js'
import {printFailure} from './output.js'

export interface Suggestion {
  /** the words of the command line that were meant as the command, e.g. `reserv` of `reserv 1` */
  typed: string
  /** the command or topic they are closest to, e.g. `reserve` */
  meant: string
}

/**
 * The command (or topic) a mistyped command line was closest to. `words` are what oclif took for
 * the command (with a space separator every word up to the first flag: `reserv 1` → reserv, 1),
 * `names` the commands and topics in words (`item register`). Each name is compared with as many
 * leading words as it has; a topic typed right (distance 0) is not a suggestion, its commands are.
 */
export function suggestCommand(words: string[], names: string[]): Suggestion | undefined {
  let best: (Suggestion & {distance: number; words: number}) | undefined
  for (const name of names) {
    const nameWords = name.split(' ')
    if (words.length < nameWords.length) continue
    const typedWords = words.slice(0, nameWords.length)
    const typed = typedWords.join(' ')
    const d = distance(typed, name)
    // a slip, not another word: at most a third (at least 2) of the words that differ, and not all of them
    const differing = nameWords.filter((w, i) => w !== typedWords[i]).join(' ')
    const typedDiffering = typedWords.filter((w, i) => w !== nameWords[i]).join(' ')
    if (d === 0 || d > Math.max(2, Math.ceil(differing.length / 3)) || d >= Math.min(differing.length, typedDiffering.length)) continue
    if (!best || d < best.distance || (d === best.distance && nameWords.length > best.words)) {
      best = {typed, meant: name, distance: d, words: nameWords.length}
    }
  }
  return best && {typed: best.typed, meant: best.meant}
}

/**
 * Words people type for a command they mean, where spelling finds nothing or the wrong thing:
 * `rent` is spelt like `lend` (the owner's hand-over) but a renter means `reserve`. A word may mean
 * several commands; after a topic (`item remove`) only that topic's are offered when it has one.
 */
export const synonyms: Record<string, string[]> = {
  rent: ['reserve'],
  book: ['reserve'],
  hire: ['reserve'],
  borrow: ['reserve'],
  unreserve: ['reservation cancel'],
  unbook: ['reservation cancel'],
  refund: ['payment cancel'],
  buy: ['pay'],
  purchase: ['pay'],
  charge: ['pay'],
  add: ['item register'],
  new: ['item register'],
  create: ['item register'],
  offer: ['item register'],
  remove: ['item delete', 'reservation cancel'],
  rm: ['item delete', 'reservation cancel'],
  // the market's own first: after them the topics' commands of that verb (config list…)
  list: ['item list', 'reservation list', 'payment list'],
  ls: ['item list', 'reservation list', 'payment list'],
  cancel: ['reservation cancel', 'payment cancel'],
  get: ['item show', 'reservation show'],
  give: ['lend'],
  handover: ['lend'],
  giveback: ['return'],
  takeback: ['return'],
  start: ['up'],
  stop: ['down'],
  ps: ['status'],
  health: ['status'],
  items: ['item list'],
  reservations: ['reservation list'],
  payments: ['payment list'],
  log: ['logs'],
  history: ['events'],
  settings: ['config list'],
}

/**
 * The commands a mistyped line means, by meaning rather than spelling: a synonym (`rent` →
 * `reserve`), or a topic's command named by its verb alone (`list` → `item list`, `reservation
 * list`, `payment list`), or after the wrong topic (`reservation pay` → `pay`).
 */
export function meantCommands(words: string[], names: string[], topics: string[]): Suggestion[] {
  const commands = names.filter((n) => !topics.includes(n))
  const inTopic = topics.includes(words[0]) && words.length > 1
  const word = (inTopic ? words[1] : words[0] ?? '').toLowerCase()
  const typed = inTopic ? words.slice(0, 2).join(' ') : words[0]
  const meanings = [
    ...(synonyms[word] ?? []),
    ...commands.filter((c) => c.includes(' ') && c.split(' ').at(-1) === word),
    ...(inTopic && commands.includes(word) ? [word] : []),
  ].filter((c, i, all) => commands.includes(c) && all.indexOf(c) === i && c !== typed)
  const ofTopic = inTopic ? meanings.filter((c) => c.startsWith(`${words[0]} `)) : []
  return (ofTopic.length > 0 ? ofTopic : meanings).map((meant) => ({typed, meant}))
}

/** "a", "a" or "b", "a", "b" or "c" */
const alternatives = (names: string[]) =>
  names.length === 1 ? `"${names[0]}"` : `${names.slice(0, -1).map((n) => `"${n}"`).join(', ')} or "${names.at(-1)}"`

/** What to say about an unknown command: the command meant, else the nearest by spelling, else the topic's or the CLI's help. */
export function unknownCommandMessage(words: string[], names: string[], topics: string[]): string {
  const commands = names.filter((n) => !topics.includes(n))
  // the longest command that the words start with, from word `at` on
  const commandAt = (at: number) =>
    commands
      .filter((c) => words.slice(at, at + c.split(' ').length).join(' ') === c)
      .sort((a, b) => b.length - a.length)[0]
  // `gdmarket --data-dir X view`: oclif takes flags only after the command
  if (words[0]?.startsWith('-')) {
    const at = words.findIndex((_, i) => i > 0 && commandAt(i) !== undefined)
    if (at > 0) {
      const command = commandAt(at)!
      const rest = words.slice(at + command.split(' ').length)
      return `flags go after the command: \`gdmarket ${[command, ...rest, ...words.slice(0, at)].join(' ')}\``
    }
  }
  // `gdmarket view 999`: a command, with words it does not take
  const command = commandAt(0)
  if (command) {
    const extra = words.slice(command.split(' ').length).join(' ')
    return `${command} takes no argument "${extra}" (see \`gdmarket ${command} --help\`)`
  }
  // meaning first: spelling alone would offer `lend` (the owner's hand-over) for a renter's `rent`
  const meant = meantCommands(words, names, topics)
  const spelt = suggestCommand(words, names)
  const suggestions = meant.length > 0 ? meant : spelt ? [spelt] : []
  const topicOf = (name: string) => (name.includes(' ') ? name.split(' ')[0] : '')
  if (suggestions.length > 0) {
    const meantNames = suggestions.map((s) => s.meant)
    // the help of the topic they share, else the CLI's
    const topic = meantNames.every((n) => topicOf(n) === topicOf(meantNames[0])) ? topicOf(meantNames[0]) : ''
    return `"${suggestions[0].typed}" is not a gdmarket command; did you mean ${alternatives(meantNames)}? (see \`gdmarket ${topic ? `${topic} ` : ''}--help\`)`
  }
  const topic = topics.includes(words[0]) ? words[0] : undefined
  const typed = topic ? words.slice(0, 2).join(' ') : words[0]
  return `"${typed}" is not a gdmarket command (see \`gdmarket ${topic ? `${topic} ` : ''}--help\`)`
}

/**
 * oclif's command_not_found hook (package.json `oclif.hooks`): the documented one-line error and
 * exit 2 (docs/commands.md#refusals-and-mistakes) instead of oclif's `command reserv:1 not found`.
 * @oclif/plugin-not-found asks "Did you mean …?" interactively and exits 127, hence our own.
 */
export const NOT_FOUND: Hook<'command_not_found'> = async function ({id, argv = [], config}) {
  const {names, topics} = commandNames(config)
  const beforeDashes = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv
  // oclif's id ends at the first flag: `--data-dir x view` comes as id `--data-dir`, argv [x, view]
  const words = id.startsWith('-') ? [id, ...beforeDashes] : id.split(':')
  printFailure(badInput(unknownCommandMessage(words, names, topics), 'UNKNOWN_COMMAND'), beforeDashes.includes('--json'))
}

/** The CLI's commands, aliases and topics in words (`item register`), and the topics that have commands under them. */
export function commandNames(config: Interfaces.Config): {names: string[]; topics: string[]} {
  const visible = config.commands.filter((c) => !c.hidden)
  const names = [...visible.map((c) => c.id), ...visible.flatMap((c) => c.aliases), ...config.topics.map((t) => t.name)].map((n) =>
    n.replaceAll(':', ' '),
  )
  // oclif lists every command as a topic too; a topic here is one that has commands under it
  const ids = new Set(visible.map((c) => c.id))
  return {names, topics: config.topics.map((t) => t.name).filter((t) => !ids.has(t))}
}
