import {describe, expect, it} from 'vitest'

import {matching, wholeNumberProblem} from '../../../src/wizard/ask.js'

const choices = ['Camera — 100 (item 1)', 'Canoe — 70 (item 2)', 'Tent — 40 (item 3)'].map((name) => ({name, value: name}))

describe('typing to filter a long list', () => {
  it('keeps the choices containing every typed word, in any case and order', () => {
    expect(matching(choices, 'ca').map((c) => c.value)).toEqual(['Camera — 100 (item 1)', 'Canoe — 70 (item 2)'])
    expect(matching(choices, 'ITEM 3')).toEqual([choices[2]])
    expect(matching(choices, '70 canoe')).toEqual([choices[1]])
  })

  it('keeps everything before anything is typed, nothing when nothing matches', () => {
    expect(matching(choices, undefined)).toEqual(choices)
    expect(matching(choices, '  ')).toEqual(choices)
    expect(matching(choices, 'piano')).toEqual([])
  })
})

describe('a whole number above 0 (the price)', () => {
  const price = {what: 'the price', min: 1, example: 12}

  it('takes digits, with spaces around', () => {
    for (const text of ['1', '12', ' 40 ', '007', '999999999999999']) expect(wholeNumberProblem(text, price), text).toBeUndefined()
  })

  it('says what is wrong and what to type, in one sentence each', () => {
    expect(wholeNumberProblem('', price)).toBe('Type the price: a whole number above 0, e.g. 12.')
    expect(wholeNumberProblem('0', price)).toBe('0 is too small: the price is a whole number above 0, e.g. 12.')
    expect(wholeNumberProblem('2,5', price)).toBe('2,5 is not whole: the price is a whole number above 0, e.g. 12.')
    expect(wholeNumberProblem('12 €', price)).toBe('"12 €" is not a number: the price is a whole number above 0 in digits, e.g. 12.')
    expect(wholeNumberProblem('0x10', price)).toBe('"0x10" is not a number: the price is a whole number above 0 in digits, e.g. 12.')
  })

  it('words a lower bound other than 1', () => {
    expect(wholeNumberProblem('2', {what: 'the count', min: 5, example: 10})).toBe('2 is too small: the count is a whole number of at least 5, e.g. 10.')
  })
})
