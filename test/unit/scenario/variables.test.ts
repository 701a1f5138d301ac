import {describe, expect, it} from 'vitest'

import {joinCommandLine, splitCommandLine} from '../../../src/scenario/commandLine.js'
import {getPath, parsePath} from '../../../src/scenario/dotPath.js'
import {referencedNames, referencedNamesDeep, substitute, substituteDeep, UnknownVariable} from '../../../src/scenario/variables.js'

describe('substitution of ${name}', () => {
  const vars = new Map<string, unknown>([
    ['item', 7],
    ['who', 'Young Kim'],
    ['row', {itemNo: 7}],
  ])

  it('replaces every reference by the saved value as text', () => {
    expect(substitute('reserve ${item} --customer x', vars)).toBe('reserve 7 --customer x')
    expect(substitute('${item}-${item}', vars)).toBe('7-7')
    expect(substitute('${row}', vars)).toBe('{"itemNo":7}')
  })

  it('leaves text without references alone, $ signs included', () => {
    expect(substitute('costs $5 {not a var}', vars)).toBe('costs $5 {not a var}')
  })

  it('refuses a name nobody saved', () => {
    expect(() => substitute('pay ${res}', vars)).toThrow(UnknownVariable)
    expect(() => substitute('pay ${res}', vars)).toThrow('${res} was not saved by an earlier step')
  })

  it('substitutes inside expected values, in strings only, keys untouched', () => {
    expect(substituteDeep([{itemNo: '${item}', itemStatus: 'NotRentable', n: 3, x: null}], vars)).toEqual([
      {itemNo: '7', itemStatus: 'NotRentable', n: 3, x: null},
    ])
    expect(substituteDeep({'${item}': 1}, vars)).toEqual({'${item}': 1})
  })

  it('lists the names a step refers to', () => {
    expect(referencedNames('pay ${res} ${item}')).toEqual(['res', 'item'])
    expect(referencedNamesDeep([{a: '${x}'}, {b: ['${y}', 3]}])).toEqual(['x', 'y'])
  })
})

describe('splitting a run: line into words', () => {
  it('splits on spaces', () => {
    expect(splitCommandLine('  item register --name Camera   --price 100 ')).toEqual(['item', 'register', '--name', 'Camera', '--price', '100'])
  })

  it('keeps quoted spaces in one word, single or double quotes', () => {
    expect(splitCommandLine(`item register --name "Big tent" --price 40`)).toEqual(['item', 'register', '--name', 'Big tent', '--price', '40'])
    expect(splitCommandLine(`reserve 1 --customer 'Young Kim'`)).toEqual(['reserve', '1', '--customer', 'Young Kim'])
    expect(splitCommandLine(`x --name ""`)).toEqual(['x', '--name', ''])
    expect(splitCommandLine(String.raw`x "say \"hi\"" a\ b`)).toEqual(['x', 'say "hi"', 'a b'])
  })

  it('keeps ${…} for later, so a saved value with spaces stays one word', () => {
    const words = splitCommandLine('reserve ${item} --customer ${who}')
    expect(words.map((w) => substitute(w, new Map([['item', 1], ['who', 'Young Kim']])))).toEqual(['reserve', '1', '--customer', 'Young Kim'])
  })

  it('refuses an unterminated quote', () => {
    expect(() => splitCommandLine('item register --name "Camera')).toThrow('unterminated " quote')
  })

  it('joins words back for people, quoting where needed', () => {
    expect(joinCommandLine(['reserve', '1', '--customer', 'Young Kim'])).toBe('reserve 1 --customer "Young Kim"')
  })
})

describe('dot paths for save:', () => {
  const output = {itemNo: 3, error: {code: 'X'}, processes: [{pid: 10}, {pid: 11}]}

  it('reads keys, nested keys and list elements, in dot or bracket form', () => {
    expect(getPath(output, parsePath('itemNo')!)).toBe(3)
    expect(getPath(output, parsePath('error.code')!)).toBe('X')
    expect(getPath(output, parsePath('processes.1.pid')!)).toBe(11)
    expect(getPath(output, parsePath('processes[0].pid')!)).toBe(10)
    expect(getPath(output.processes, parsePath('[-1].pid')!)).toBe(11)
    expect(getPath(output.processes, parsePath('0.pid')!)).toBe(10)
  })

  it('gives undefined where the output has nothing', () => {
    expect(getPath(output, parsePath('reservationNo')!)).toBeUndefined()
    expect(getPath(output, parsePath('itemNo.x')!)).toBeUndefined()
    expect(getPath(output, parsePath('processes.5.pid')!)).toBeUndefined()
    expect(getPath(output, parsePath('error.0')!)).toBeUndefined()
  })

  it('refuses what is not a path', () => {
    for (const bad of ['', 'a..b', 'a b', '.', 'a.[x]']) expect(parsePath(bad), bad).toBeUndefined()
  })
})
