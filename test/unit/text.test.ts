import {describe, expect, it} from 'vitest'

import {cellText} from '../../src/cli/render.js'
import {contract} from '../../src/contract/index.js'
import {MAX_MARKS, MAX_TEXT, textProblem} from '../../src/text.js'
import {askText} from '../../src/wizard/ask.js'
import type {Prompts} from '../../src/wizard/terminal.js'

const refusal = (codePoint: string, at: number, kind: string) => `must be printable text: ${codePoint} at character ${at} is ${kind}; leave it out`

describe('names and customer fields (issue 11, finding 10)', () => {
  it('are printable text of at most 200 characters', () => {
    expect(textProblem('Young Kim')).toBeUndefined()
    expect(textProblem('카메라 · Ünïcode')).toBeUndefined()
    expect(textProblem('x'.repeat(MAX_TEXT))).toBeUndefined()
    expect(textProblem('x'.repeat(MAX_TEXT + 1))).toBe('must be at most 200 characters')
    expect(textProblem('  ')).toBe('must not be empty')
    for (const evil of ['\u001b[2J', 'a\nb', 'bell\u0007', 'nul\u0000', '\u009b31m']) expect(textProblem(evil), JSON.stringify(evil)).toMatch(/is a control character; leave it out$/)
    for (const evil of ['gpj.\u202eexe', 'zero\u200bwidth', '\ufeffbom']) expect(textProblem(evil), JSON.stringify(evil)).toMatch(/is an invisible formatting character; leave it out$/)
    expect(textProblem('lone \ud800')).toBe(refusal('U+D800', 6, 'half of a character (a lone surrogate)'))
  })

  it('anything unprintable already in a store is shown escaped in tables, never sent to the terminal', () => {
    expect(cellText('Evil\u001b[31mRED\u0007')).toBe('Evil\\u001b[31mRED\\u0007')
    expect(cellText('abc\u202eevil')).toBe('abc\\u202eevil')
    expect(cellText(null)).toBe('-')
  })
})

describe('names by Unicode class, not a blocklist (issue 16, point 4)', () => {
  it('refuses what issue 16 found accepted: a tag character, the Hangul filler, the line separator, a letter under 199 marks, U+FFFD', () => {
    expect(textProblem('a\u{e0041}b')).toBe(refusal('U+E0041', 2, 'a tag character (text hidden from view)'))
    expect(textProblem('\u3164')).toBe(refusal('U+3164', 1, 'a filler that shows as blank'))
    expect(textProblem('Kim\u3164')).toBe(refusal('U+3164', 4, 'a filler that shows as blank'))
    expect(textProblem('one\u2028two')).toBe(refusal('U+2028', 4, 'a line or paragraph separator'))
    expect(textProblem('a' + '\u0301'.repeat(199))).toBe(`must be printable text: more than ${MAX_MARKS} combining marks in a row at character 6; leave the extra ones out`)
    expect(textProblem('caf\ufffd')).toMatch(/^must be printable text: U\+FFFD at character 4 is the replacement character, left where the text was not valid UTF-8/)
  })

  it('refuses every control, format, separator, private-use and unassigned code point, and the fillers that show as blank', () => {
    const kinds: [string, string][] = [
      ['\u0085', 'a control character'], // NEL, C1
      ['\u00ad', 'an invisible formatting character'], // soft hyphen (Cf)
      ['\u2029', 'a line or paragraph separator'],
      ['\ue000', 'a private-use character'],
      ['\u{10fffd}', 'a private-use character'],
      ['\u{1cbc}', 'not an assigned character'], // Cn in Unicode 17
      ['\u{e0001}', 'a tag character (text hidden from view)'], // LANGUAGE TAG
      ['\u115f', 'a filler that shows as blank'],
      ['\u1160', 'a filler that shows as blank'],
      ['\uffa0', 'a filler that shows as blank'],
      ['\u2800', 'a filler that shows as blank'], // braille pattern blank
      ['\u{1d159}', 'a filler that shows as blank'], // musical null notehead
      ['\ufffc', 'a filler that shows as blank'], // object replacement
      ['\u034f', 'an invisible formatting character'], // combining grapheme joiner (default-ignorable)
      ['\u17b4', 'an invisible formatting character'], // Khmer inherent vowel (default-ignorable)
      ['\u2061', 'an invisible formatting character'], // function application
      ['\u{1d173}', 'an invisible formatting character'], // musical begin beam
      ['\u180e', 'an invisible formatting character'], // Mongolian vowel separator
    ]
    for (const [c, kind] of kinds) {
      const codePoint = `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`
      expect(textProblem(`Kim${c}`), codePoint).toBe(refusal(codePoint, 4, kind))
    }
  })

  it('keeps the invisible characters that belong where they are: joiners in emoji and in scripts written with them, a variation selector after a character, the emoji flags of tags', () => {
    const fine = [
      'family 👨\u200d👩\u200d👧', // a joiner between emoji
      '🏳\ufe0f\u200d🌈', // after an emoji's variation selector
      '👩🏽\u200d💻', // after a skin tone
      '❤\ufe0f Lamp', // a variation selector after a visible character
      '1\ufe0f\u20e3', // a keycap: selector and enclosing mark
      '葛\u{e0100}飾', // an ideographic variation sequence (a Japanese name)
      '🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}', // England's flag
      'ශ්\u200dරී ලංකා', // Sinhala: a joiner after the virama
      'می\u200cخواهم', // Persian: the non-joiner
      'שָׁלוֹם', // Hebrew points
      'Nguye\u0302\u0303n', // decomposed Vietnamese
      'a' + '\u0301'.repeat(MAX_MARKS),
    ]
    for (const name of fine) expect(textProblem(name), JSON.stringify(name)).toBeUndefined()
  })

  it('but not out of place: a joiner between Latin letters, two selectors, a selector alone, tags that spell text', () => {
    expect(textProblem('Ki\u200dm')).toBe(refusal('U+200D', 3, 'an invisible formatting character'))
    expect(textProblem('👨\u200d\u200d👩')).toBe(refusal('U+200D', 2, 'an invisible formatting character'))
    expect(textProblem('\u2764\ufe0f\ufe0f')).toBe(refusal('U+FE0F', 3, 'a variation selector that selects nothing there (hidden text)'))
    expect(textProblem(' \ufe0f')).toBe(refusal('U+FE0F', 2, 'a variation selector that selects nothing there (hidden text)'))
    expect(textProblem('🏴\u{e0041}\u{e007f}')).toBe(refusal('U+E0041', 2, 'a tag character (text hidden from view)'))
  })

  it('is the one rule of the gateway, the CLI and the wizard', async () => {
    const parsed = contract.item.register.input.safeParse({itemName: 'Kim\u3164', itemPrice: 1})
    expect(parsed.success).toBe(false)
    expect(parsed.error!.issues[0].message).toBe(refusal('U+3164', 4, 'a filler that shows as blank'))
    expect(contract.item.register.input.parse({itemName: ' 👨\u200d👩\u200d👧 ', itemPrice: 1}).itemName).toBe('👨\u200d👩\u200d👧')

    const said: (string | boolean)[] = []
    const typed = ['\u3164', '', 'Kim']
    const prompts = {
      async input({validate}: {validate?: (value: string) => boolean | string}) {
        for (;;) {
          const value = typed.shift()!
          const verdict = validate!(value)
          said.push(verdict)
          if (verdict === true) return value
        }
      },
    } as Prompts
    expect(await askText(prompts, 'Your name?')).toBe('Kim')
    expect(said).toEqual([`It ${refusal('U+3164', 1, 'a filler that shows as blank')}.`, 'Please type at least one character.', true])
  })

  it('refuses a variation selector where it selects nothing, so it cannot carry hidden bytes after Latin letters', () => {
    expect(textProblem('C\ufe01a\ufe02m\ufe03era')).toMatch(/U\+FE01 at character 2 is a variation selector/)
    expect(textProblem('Camera\ufe0f')).toMatch(/variation selector/)
    expect(textProblem('Cam\u{e0101}era')).toMatch(/variation selector/)
    // where it does select: emoji style, a keycap, an ideographic variant
    expect(textProblem('I \u2764\ufe0f it')).toBeUndefined()
    expect(textProblem('#\ufe0f\u20e3')).toBeUndefined()
    expect(textProblem('\u845b\u{e0100}\u57ce')).toBeUndefined()
  })
})
