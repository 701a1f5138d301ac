import {describe, expect, it} from 'vitest'

import {cellText} from '../../src/cli/render.js'
import {MAX_TEXT, textProblem} from '../../src/text.js'

describe('names and customer fields (issue 11, finding 10)', () => {
  it('are printable text of at most 200 characters', () => {
    expect(textProblem('Young Kim')).toBeUndefined()
    expect(textProblem('카메라 · Ünïcode')).toBeUndefined()
    expect(textProblem('x'.repeat(MAX_TEXT))).toBeUndefined()
    expect(textProblem('x'.repeat(MAX_TEXT + 1))).toBe('must be at most 200 characters')
    expect(textProblem('  ')).toBe('must not be empty')
    expect(textProblem('family 👨\u200d👩\u200d👧')).toBeUndefined() // the joiner of emoji sequences
    for (const evil of ['\u001b[2J', 'a\nb', 'bell\u0007', 'nul\u0000', '\u009b31m', 'gpj.\u202eexe', 'zero\u200bwidth', '\ufeffbom', 'lone \ud800']) expect(textProblem(evil), JSON.stringify(evil)).toBe('must be printable text, without control characters')
  })

  it('anything unprintable already in a store is shown escaped in tables, never sent to the terminal', () => {
    expect(cellText('Evil\u001b[31mRED\u0007')).toBe('Evil\\u001b[31mRED\\u0007')
    expect(cellText('abc\u202eevil')).toBe('abc\\u202eevil')
    expect(cellText(null)).toBe('-')
  })
})
