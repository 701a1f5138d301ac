import type {Hook} from '@oclif/core'
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

/** What to say about an unknown command: the nearest command, else the topic's or the CLI's help. */
export function unknownCommandMessage(words: string[], names: string[], topics: string[]): string {
  const suggestion = suggestCommand(words, names)
  const topicOf = (name: string) => (name.includes(' ') ? `${name.split(' ')[0]} ` : '')
  if (suggestion) {
    return `"${suggestion.typed}" is not a gdmarket command; did you mean "${suggestion.meant}"? (see \`gdmarket ${topicOf(suggestion.meant)}--help\`)`
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
  const visible = config.commands.filter((c) => !c.hidden)
  const names = [...visible.map((c) => c.id), ...visible.flatMap((c) => c.aliases), ...config.topics.map((t) => t.name)].map((n) =>
    n.replaceAll(':', ' '),
  )
  const topics = config.topics.map((t) => t.name)
  const beforeDashes = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv
  printFailure(badInput(unknownCommandMessage(id.split(':'), names, topics), 'UNKNOWN_COMMAND'), beforeDashes.includes('--json'))
}
