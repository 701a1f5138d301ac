import {readdirSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {COMMANDS} from '../../src/commands/index.js'

const commandsDir = fileURLToPath(new URL('../../src/commands', import.meta.url))

describe('the CLI bundle\'s command list (oclif explicit strategy)', () => {
  it('names every command file under src/commands by its oclif id, and nothing else (the registry and the bundle entry aside)', () => {
    const files = readdirSync(commandsDir, {recursive: true, encoding: 'utf8'})
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && f !== 'main.ts')
      .map((f) => f.slice(0, -3).split(path.sep).join(':'))
      .sort()
    expect(Object.keys(COMMANDS).sort()).toEqual(files)
  })
})
