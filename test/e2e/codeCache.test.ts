import {readFileSync, writeFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

import {describe, expect, it} from 'vitest'

import {runCli} from './stack.js'

/** bin/run.js compiles the CLI's bundle with V8's code cache beside it (docs/performance.md#the-cli-as-a-new-process). */
const cacheFile = fileURLToPath(new URL('../../dist/bundle/cli/main.cjs.v8cache', import.meta.url))
const header = /^\d+:[\d.]+:\d+\n/

describe('the code cache of the CLI', () => {
  it('a corrupt one is never given to V8 (it would abort): the command runs, and a sound one replaces it', async () => {
    const sound = readFileSync(cacheFile)
    const corrupt = Buffer.from(sound)
    const start = sound.indexOf(10) + 1
    for (let i = start; i < corrupt.length; i += 997) corrupt[i] ^= 0xff // the header still says the right build
    writeFileSync(cacheFile, corrupt)
    const run = await runCli(['version', '--json'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.json).toMatchObject({version: expect.any(String)})
    expect(readFileSync(cacheFile).toString('latin1', 0, 40)).toMatch(header)
    expect((await runCli(['--version'])).code).toBe(0)
  })

  it('a missing header or garbage is a missing cache', async () => {
    writeFileSync(cacheFile, 'garbage')
    const run = await runCli(['--version'])
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toBe('')
    expect(readFileSync(cacheFile).toString('latin1', 0, 40)).toMatch(header)
  })
})
