import {describe, expect, it} from 'vitest'

import {suggestCommand, unknownCommandMessage} from '../../src/cli/unknownCommand.js'

const names = ['item', 'item register', 'item list', 'item show', 'reservation', 'reservation list', 'reserve', 'return', 'status', 'view', 'up', 'down', 'pay', 'help']
const topics = ['item', 'reservation']

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
