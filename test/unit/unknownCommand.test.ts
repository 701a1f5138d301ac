import {describe, expect, it} from 'vitest'

import {meantCommands, suggestCommand, unknownCommandMessage} from '../../src/cli/unknownCommand.js'

const names = ['item', 'item register', 'item list', 'item show', 'reservation', 'reservation list', 'reserve', 'return', 'status', 'view', 'up', 'down', 'pay', 'help']
const topics = ['item', 'reservation']
// every command of the CLI, for the suggestions by meaning
const market = [
  ...['config get', 'config list', 'config set', 'config unset', 'down', 'events', 'item delete', 'item list', 'item register', 'item show'],
  ...['lend', 'load', 'logs', 'pay', 'payment cancel', 'payment list', 'reservation cancel', 'reservation list', 'reservation show'],
  ...['reserve', 'return', 'scenario run', 'service restart', 'service start', 'service stop', 'status', 'up', 'view', 'wizard'],
  ...['config', 'item', 'payment', 'reservation', 'scenario', 'service'],
]
const marketTopics = ['config', 'item', 'payment', 'reservation', 'scenario', 'service']
const meant = (...words: string[]) => meantCommands(words, market, marketTopics).map((s) => s.meant)

describe('a mistyped command: the one meant', () => {
  it.each([
    [['reserv', '1'], {typed: 'reserv', meant: 'reserve'}],
    [['item', 'regster'], {typed: 'item regster', meant: 'item register'}],
    [['itme', 'list'], {typed: 'itme list', meant: 'item list'}],
    [['stauts'], {typed: 'stauts', meant: 'status'}],
    [['reservation', 'lst', '3'], {typed: 'reservation lst', meant: 'reservation list'}],
  ])('%j → %j', (words, suggestion) => {
    expect(suggestCommand(words, names)).toEqual(suggestion)
  })

  it.each([[['foo']], [['item', 'foo']], [['ab']], [['xyzzy', 'plugh']]])('no guess for a different word: %j', (words) => {
    expect(suggestCommand(words, names)).toBeUndefined()
  })

  it('says it on one line, with the help of the topic', () => {
    expect(unknownCommandMessage(['item', 'regster'], names, topics)).toBe(
      '"item regster" is not a gdmarket command; did you mean "item register"? (see `gdmarket item --help`)',
    )
    expect(unknownCommandMessage(['item', 'foo'], names, topics)).toBe('"item foo" is not a gdmarket command (see `gdmarket item --help`)')
    expect(unknownCommandMessage(['foo', '1'], names, topics)).toBe('"foo" is not a gdmarket command (see `gdmarket --help`)')
  })

  it('a flag before the command: says flags go after it, with the line put right', () => {
    expect(unknownCommandMessage(['--data-dir', 'x', 'view'], names, topics)).toBe('flags go after the command: `gdmarket view --data-dir x`')
    expect(unknownCommandMessage(['--data-dir', 'x', 'item', 'show', '1'], names, topics)).toBe('flags go after the command: `gdmarket item show 1 --data-dir x`')
  })

  it('a command with arguments it does not take says so', () => {
    expect(unknownCommandMessage(['view', '999'], names, topics)).toBe('view takes no argument "999" (see `gdmarket view --help`)')
  })
})

describe('a command by what it means, not how it is spelt', () => {
  it('rent is what a renter does: reserve, not lend (the owner hands over)', () => {
    expect(meant('rent', '1')).toEqual(['reserve'])
    expect(unknownCommandMessage(['rent', '1'], market, marketTopics)).toBe(
      '"rent" is not a gdmarket command; did you mean "reserve"? (see `gdmarket --help`)',
    )
    expect(meant('book', '1')).toEqual(['reserve'])
  })

  it("a topic's verb alone names the topics' commands of that verb", () => {
    expect(meant('register')).toEqual(['item register'])
    expect(meant('list')).toEqual(['item list', 'reservation list', 'payment list', 'config list'])
    expect(meant('cancel', '1')).toEqual(['reservation cancel', 'payment cancel'])
    expect(meant('refund', '1')).toEqual(['payment cancel'])
    expect(unknownCommandMessage(['register', '--name', 'Lamp'], market, marketTopics)).toBe(
      '"register" is not a gdmarket command; did you mean "item register"? (see `gdmarket item --help`)',
    )
    expect(unknownCommandMessage(['cancel', '1'], market, marketTopics)).toBe(
      '"cancel" is not a gdmarket command; did you mean "reservation cancel" or "payment cancel"? (see `gdmarket --help`)',
    )
  })

  it("after a topic: that topic's command of that meaning, else the one outside it", () => {
    expect(meant('item', 'remove', '3')).toEqual(['item delete'])
    expect(meant('reservation', 'remove', '3')).toEqual(['reservation cancel'])
    expect(meant('payment', 'refund', '3')).toEqual(['payment cancel'])
    expect(meant('reservation', 'pay', '3')).toEqual(['pay'])
    expect(unknownCommandMessage(['item', 'add'], market, marketTopics)).toBe(
      '"item add" is not a gdmarket command; did you mean "item register"? (see `gdmarket item --help`)',
    )
  })

  it('spelling still finds a slip when no meaning does', () => {
    expect(meant('reserv', '1')).toEqual([])
    expect(unknownCommandMessage(['reserv', '1'], market, marketTopics)).toContain('did you mean "reserve"?')
    expect(unknownCommandMessage(['frobnicate'], market, marketTopics)).toBe('"frobnicate" is not a gdmarket command (see `gdmarket --help`)')
  })
})
