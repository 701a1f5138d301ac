import {chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {forgetStack, registeredDataDirs, registryFile, rememberStack, runningStacks, stacksElsewhere} from '../../src/cli/knownStacks.js'
import {whereStacksRun} from '../../src/cli/stackAccess.js'

let state: string
let file: string
beforeEach(() => {
  state = mkdtempSync(path.join(tmpdir(), 'gdmarket-state-unit-'))
  file = path.join(state, 'gdmarket', 'stacks.json')
})
afterEach(() => rmSync(state, {recursive: true, force: true}))

const env = () => ({XDG_STATE_HOME: state, HOME: '/nonexistent'})
const write = (dataDirs: string[], mode = 0o600) => {
  mkdirSync(path.dirname(file), {recursive: true, mode: 0o700})
  writeFileSync(file, JSON.stringify({stacks: dataDirs.map((dataDir) => ({dataDir, startedAt: '2026-12-01T00:00:00.000Z'}))}), {mode})
  chmodSync(file, mode)
}

describe('the registry of running stacks: where, and whom to believe', () => {
  it('lives under $XDG_STATE_HOME (absolute), else ~/.local/state', () => {
    expect(registryFile({XDG_STATE_HOME: '/s', HOME: '/h'})).toBe('/s/gdmarket/stacks.json')
    expect(registryFile({XDG_STATE_HOME: 'relative', HOME: '/h'})).toBe('/h/.local/state/gdmarket/stacks.json')
    expect(registryFile({HOME: '/h'})).toBe('/h/.local/state/gdmarket/stacks.json')
    expect(registryFile({})).toBeUndefined()
  })

  it('is believed from a private file of this user: the newest up first', () => {
    write(['/a/data', '/b/data'])
    expect(registeredDataDirs({env: env()})).toEqual(['/b/data', '/a/data'])
  })

  it('is ignored when another user owns it, others may write it or its folder, or it is a symlink', () => {
    write(['/a/data'])
    const mine = statSync(file).uid
    expect(registeredDataDirs({env: env(), uid: mine + 1})).toEqual([])
    chmodSync(file, 0o622)
    expect(registeredDataDirs({env: env()})).toEqual([])
    chmodSync(file, 0o600)
    chmodSync(path.dirname(file), 0o777)
    expect(registeredDataDirs({env: env()})).toEqual([])
    chmodSync(path.dirname(file), 0o700)
    const planted = path.join(state, 'planted.json')
    writeFileSync(planted, JSON.stringify({stacks: [{dataDir: '/a/data', startedAt: 'x'}]}), {mode: 0o600})
    rmSync(file)
    symlinkSync(planted, file)
    expect(registeredDataDirs({env: env()})).toEqual([])
  })

  it('takes only absolute data dirs from it, and ignores a file that is not the registry', () => {
    write(['relative/data', '/abs/data'])
    expect(registeredDataDirs({env: env()})).toEqual(['/abs/data'])
    writeFileSync(file, 'not json')
    expect(registeredDataDirs({env: env()})).toEqual([])
  })

  it('names a data dir only while a live supervisor of it runs: a stale entry is no stack, and the next up drops it', () => {
    write(['/gone/data'])
    expect(runningStacks([], {env: env()})).toEqual([])
    expect(stacksElsewhere('/somewhere', {env: env()})).toEqual([])
    rememberStack('/new/data', {env: env()})
    expect(registeredDataDirs({env: env()})).toEqual(['/new/data'])
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(path.dirname(file)).mode & 0o777).toBe(0o700)
    forgetStack('/new/data', {env: env()})
    expect(registeredDataDirs({env: env()})).toEqual([])
  })
})

describe('where stacks run, in one line', () => {
  const at = (dataDir: string) => ({dataDir, pid: 1, port: 2, httpPort: 3, startedAt: 'x'})
  it('one: its data dir and the flag that reaches it; several: each, and the command that lists them', () => {
    expect(whereStacksRun([at('/home/kim/tour/data')])).toBe('one runs in /home/kim/tour/data (use --data-dir /home/kim/tour/data)')
    expect(whereStacksRun([at('/a'), at("/b c")])).toBe("stacks run in /a and /b c (use --data-dir with one of them; `gdmarket stacks` lists them)")
    expect(whereStacksRun([at("/my market")])).toBe("one runs in /my market (use --data-dir '/my market')")
  })
})
