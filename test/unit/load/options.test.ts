import {describe, expect, it} from 'vitest'

import {parseLoadDuration} from '../../../src/load/duration.js'
import {DEFAULT_MIX, formatMix, mixPicker, parseMix, type CycleKind} from '../../../src/load/mix.js'

describe('--duration', () => {
  it('takes a number with its unit: ms, s or m', () => {
    expect(parseLoadDuration('500ms')).toBe(500)
    expect(parseLoadDuration('30s')).toBe(30_000)
    expect(parseLoadDuration('1.5s')).toBe(1500)
    expect(parseLoadDuration('2m')).toBe(120_000)
  })

  it('refuses a bare number, an unknown unit or zero, saying what it expects', () => {
    expect(() => parseLoadDuration('30')).toThrow('like 500ms, 30s or 2m, got "30"')
    expect(() => parseLoadDuration('1h')).toThrow('got "1h"')
    expect(() => parseLoadDuration('soon')).toThrow('got "soon"')
    expect(() => parseLoadDuration('0s')).toThrow('longer than 0')
  })
})

describe('--mix', () => {
  it('reads KIND=WEIGHT pairs; a kind left out weighs 0', () => {
    expect(parseMix(DEFAULT_MIX)).toEqual({rental: 70, cancel: 30})
    expect(parseMix('cancel=1, rental=3')).toEqual({rental: 3, cancel: 1})
    expect(parseMix('rental=1')).toEqual({rental: 1, cancel: 0})
    expect(formatMix(parseMix('cancel=5'))).toBe('rental=0,cancel=5')
  })

  it('refuses an unknown kind, a kind twice, a malformed pair and all weights 0', () => {
    expect(() => parseMix('rental=70,refund=30')).toThrow('unknown cycle kind "refund"; known: rental, cancel')
    expect(() => parseMix('rental=1,rental=2')).toThrow('"rental" is given twice')
    expect(() => parseMix('rental=-1')).toThrow('KIND=WEIGHT')
    expect(() => parseMix('rental')).toThrow('KIND=WEIGHT')
    expect(() => parseMix('rental=0,cancel=0')).toThrow('at least one weight')
  })
})

describe('picking cycle kinds by the mix', () => {
  const picks = (mix: string, n: number) => {
    const pick = mixPicker(parseMix(mix))
    return Array.from({length: n}, () => pick())
  }
  const count = (kinds: CycleKind[], kind: CycleKind) => kinds.filter((k) => k === kind).length

  it('matches the weights exactly in every full round, not just on average', () => {
    const kinds = picks(DEFAULT_MIX, 20)
    expect(count(kinds, 'rental')).toBe(14)
    expect(count(kinds, 'cancel')).toBe(6)
    for (const round of [0, 1]) expect(count(kinds.slice(round * 10, round * 10 + 10), 'cancel')).toBe(3)
  })

  it('interleaves the kinds instead of running them in blocks', () => {
    expect(picks('rental=1,cancel=1', 6)).toEqual(['rental', 'cancel', 'rental', 'cancel', 'rental', 'cancel'])
    expect(picks('rental=2,cancel=1', 6)).toEqual(['rental', 'cancel', 'rental', 'rental', 'cancel', 'rental'])
  })

  it('never picks a kind of weight 0', () => {
    expect(new Set(picks('cancel=3', 9))).toEqual(new Set(['cancel']))
  })
})
