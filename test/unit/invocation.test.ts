import {chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {invocation} from '../../src/cli/invocation.js'

const scratch = mkdtempSync(path.join(tmpdir(), 'gdmarket-invocation-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

const root = path.join(scratch, 'checkout')
const bin = path.join(root, 'bin', 'run.js')
mkdirSync(path.dirname(bin), {recursive: true})
writeFileSync(bin, '#!/usr/bin/env node\n')
chmodSync(bin, 0o755)
const linked = path.join(scratch, 'linked-bin') // as `npm link` makes it: a symlink to bin/run.js
mkdirSync(linked)
symlinkSync(bin, path.join(linked, 'gdmarket'))
const another = path.join(scratch, 'another-bin') // some other gdmarket
mkdirSync(another)
writeFileSync(path.join(another, 'gdmarket'), '#!/bin/sh\n')
chmodSync(path.join(another, 'gdmarket'), 0o755)
const elsewhere = path.join(scratch, 'elsewhere')

describe('how a hint names gdmarket: as it runs from here', () => {
  it('gdmarket, when the one on the PATH is this one', () => {
    expect(invocation({PATH: ['/usr/bin', linked].join(path.delimiter), cwd: elsewhere, bin, root})).toBe('gdmarket')
  })

  it('npx gdmarket in the checkout, when it is not on the PATH (the README on a fresh machine)', () => {
    expect(invocation({PATH: '/usr/bin', cwd: root, bin, root})).toBe('npx gdmarket')
    expect(invocation({PATH: '/usr/bin', cwd: path.join(root, 'data'), bin, root})).toBe('npx gdmarket')
  })

  it('node and the full path elsewhere, also when another gdmarket is first on the PATH', () => {
    expect(invocation({PATH: '/usr/bin', cwd: elsewhere, bin, root})).toBe(`node ${bin}`)
    expect(invocation({PATH: [another, linked].join(path.delimiter), cwd: elsewhere, bin, root})).toBe(`node ${bin}`)
  })
})
