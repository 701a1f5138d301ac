import {describe, expect, it} from 'vitest'

import {matching} from '../../../src/wizard/ask.js'

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
