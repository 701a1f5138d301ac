import {execFileSync} from 'node:child_process'
import {lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
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

  it('a link or a pipe at its name is neither followed nor read: what the link points to is left as it was, and a cache file of its own takes the name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdmarket-cache-'))
    try {
      const victim = join(dir, 'victim.txt')
      writeFileSync(victim, 'VICTIM\n')
      rmSync(cacheFile)
      symlinkSync(victim, cacheFile)
      expect((await runCli(['--version'])).code).toBe(0)
      expect(readFileSync(victim, 'utf8')).toBe('VICTIM\n')
      expect(lstatSync(cacheFile).isFile()).toBe(true)

      rmSync(cacheFile)
      execFileSync('mkfifo', [cacheFile]) // read, it would wait for a writer for ever
      const run = await runCli(['--version'])
      expect(run.code, run.stderr).toBe(0)
      expect(lstatSync(cacheFile).isFile()).toBe(true)
    } finally {
      rmSync(dir, {recursive: true, force: true})
    }
  })
})
