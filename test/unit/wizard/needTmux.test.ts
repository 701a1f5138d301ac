import {describe, expect, it} from 'vitest'

import {needTmux, TMUX_MISSING_IN_CI} from '../../e2e/tmux.js'

/** A test context that records the skip instead of skipping. */
const context = () => {
  const skipped: string[] = []
  return {skipped, skip: (note: string) => void skipped.push(note)}
}

describe('the tmux wizard tests without tmux', () => {
  it('run when tmux is there, CI or not', () => {
    const ctx = context()
    needTmux(ctx, true, {CI: 'true'})
    needTmux(ctx, true, {})
    expect(ctx.skipped).toEqual([])
  })

  it('are skipped with the reason on a developer machine (CI unset, or false)', () => {
    const ctx = context()
    needTmux(ctx, false, {})
    needTmux(ctx, false, {CI: 'false'})
    expect(ctx.skipped).toEqual([expect.stringContaining('tmux is not installed'), expect.stringContaining('apt-get install -y tmux')])
  })

  it('fail in CI, saying .ci/run installs tmux: never a silent skip', () => {
    const ctx = context()
    expect(() => needTmux(ctx, false, {CI: 'true'})).toThrow(TMUX_MISSING_IN_CI)
    expect(TMUX_MISSING_IN_CI).toBe('tmux is missing: .ci/run installs it with apt-get')
    expect(ctx.skipped).toEqual([])
  })
})
