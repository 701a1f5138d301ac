import {describe, expect, it} from 'vitest'

import {notInteractiveMessage, whyNotInteractive} from '../../../src/wizard/interactive.js'

const terminal = {stdinIsTTY: true, stdoutIsTTY: true, env: {}, noInput: false}

describe('who the wizard may ask', () => {
  it('a person at a terminal', () => {
    expect(whyNotInteractive(terminal)).toBeUndefined()
    expect(whyNotInteractive({...terminal, env: {CI: 'false'}})).toBeUndefined()
    expect(whyNotInteractive({...terminal, env: {CI: ''}})).toBeUndefined()
  })

  it('not a script: stdin or stdout not a terminal', () => {
    expect(whyNotInteractive({...terminal, stdinIsTTY: false})).toBe('stdin is not a terminal')
    expect(whyNotInteractive({...terminal, stdoutIsTTY: false})).toBe('stdout is not a terminal')
  })

  it('not CI (CI set), even when it has a terminal', () => {
    expect(whyNotInteractive({...terminal, env: {CI: 'true'}})).toBe('CI is set')
    expect(whyNotInteractive({...terminal, env: {CI: '1'}})).toBe('CI is set')
  })

  it('not whoever said --no-input', () => {
    expect(whyNotInteractive({...terminal, noInput: true})).toBe('--no-input')
  })

  it('refuses in one line that names the plain commands', () => {
    const message = notInteractiveMessage('CI is set')
    expect(message).not.toContain('\n')
    expect(message).toMatch(/^the wizard cannot ask questions here \(CI is set\); use the plain commands instead: /)
    for (const command of ['view', 'reserve ITEMNO', 'pay RESNO', 'reservation cancel RESNO', 'payment cancel RESNO', 'item register', 'lend ITEMNO', 'return ITEMNO', 'item delete ITEMNO']) {
      expect(message).toContain(`\`gdmarket ${command}`)
    }
  })
})
