import {closeSync, mkdtempSync, openSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {runProcess, startProcess} from '../../src/childProcess.js'

const node = (script: string, options: Partial<Parameters<typeof runProcess>[2]> = {}) =>
  runProcess(process.execPath, ['-e', script], {env: {}, ...options})

const scratch = mkdtempSync(path.join(tmpdir(), 'gdmarket-child-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

describe('running a child process to its end', () => {
  it('gives its exit code and its output as printed, final newline kept; a non-zero exit is a result', async () => {
    const result = await node('console.log("out ✔"); console.error("err"); process.exitCode = 3')
    expect(result).toMatchObject({code: 3, signal: null, timedOut: false, stdout: 'out ✔\n', stderr: 'err\n'})
    expect(result.ms).toBeGreaterThan(0)
  })

  it('passes exactly the environment given, and nothing on stdin', async () => {
    process.env.GDMARKET_CHILD_TEST = 'leaked'
    try {
      const result = await node('process.stdin.on("data", () => {}).on("end", () => console.log(JSON.stringify(process.env)))', {env: {ONLY: 'this'}})
      expect(JSON.parse(result.stdout)).toEqual({ONLY: 'this'})
    } finally {
      delete process.env.GDMARKET_CHILD_TEST
    }
  })

  it('stops it after timeoutMs (SIGKILL unless told), saying it timed out', async () => {
    const killed = await node('setInterval(() => {}, 1000)', {timeoutMs: 200})
    expect(killed).toMatchObject({code: null, signal: 'SIGKILL', timedOut: true})
    const interrupted = await node('process.on("SIGINT", () => process.exit(130)); console.log("ready"); setInterval(() => {}, 1000)', {
      timeoutMs: 1000,
      timeoutSignal: 'SIGINT',
    })
    expect(interrupted).toMatchObject({code: 130, timedOut: true, stdout: 'ready\n'})
  })

  it('on abort, stops it with SIGTERM and rejects with the reason', async () => {
    const abort = new AbortController()
    const running = node('setInterval(() => {}, 1000)', {signal: abort.signal})
    setTimeout(() => abort.abort(new Error('stopped by the test')), 100)
    await expect(running).rejects.toThrow('stopped by the test')
  })

  it('rejects when the program cannot start', async () => {
    await expect(runProcess('gdmarket-no-such-program', [], {env: {PATH: '/nonexistent'}})).rejects.toThrow(/ENOENT/)
  })

  it('writes stdout and stderr into one file descriptor, in the order printed', async () => {
    const file = path.join(scratch, 'both')
    const fd = openSync(file, 'w')
    try {
      const result = await node('console.log(1); console.error(2); console.log(3)', {stdout: fd, stderr: fd})
      expect(result).toMatchObject({code: 0, stdout: '', stderr: ''})
    } finally {
      closeSync(fd)
    }
    expect(readFileSync(file, 'utf8')).toBe('1\n2\n3\n')
  })
})

describe('a running child process', () => {
  it('shows its output so far, takes a signal, and stop() is safe after it exited', async () => {
    const child = startProcess(process.execPath, ['-e', 'console.log("up"); process.on("SIGINT", () => process.exit(130)); setInterval(() => {}, 1000)'], {
      env: {},
    })
    for (let i = 0; i < 200 && !child.stdout.includes('up'); i++) await new Promise((resolve) => setTimeout(resolve, 25))
    expect(child.stdout).toBe('up\n')
    child.kill('SIGINT')
    expect(await child.exited).toMatchObject({code: 130, stdout: 'up\n'})
    child.kill('SIGKILL') // a no-op now
    await child.stop()
  })

  it('stop() kills one still running and waits for it', async () => {
    const child = startProcess(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {env: {}})
    await child.stop()
    expect(await child.exited).toMatchObject({code: null, signal: 'SIGKILL'})
  })
})
