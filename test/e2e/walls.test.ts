import {spawn} from 'node:child_process'
import {readdirSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {afterEach, describe, expect, it} from 'vitest'

import {eventually, isGone, startStack, type Stack} from './stack.js'

/** Findings of a hostile local user (issue 11), each replayed and shown refused. */
let stack: Stack | undefined
const strangers: number[] = []
afterEach(async () => {
  await stack?.stop()
  stack = undefined
  for (const pid of strangers.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {}
  }
})

/** Every path under a folder with its permission bits. */
function modes(root: string): {file: string; kind: string; mode: number}[] {
  return readdirSync(root, {recursive: true, encoding: 'utf8'}).map((file) => {
    const stat = statSync(path.join(root, file))
    return {file, kind: stat.isDirectory() ? 'dir' : stat.isSocket() ? 'socket' : 'file', mode: stat.mode & 0o777}
  })
}

describe('files are private', () => {
  it('the data dir and its folders are 0700; stores, journals, logs, run/ files and sockets are 0600', async () => {
    stack = await startStack()
    await stack.json(['item', 'register', '--name', 'Lamp', '--price', '5'])
    await stack.json(['config', 'set', 'paymentLimit', '500'])
    expect(statSync(stack.dataDir).mode & 0o777).toBe(0o700)
    const all = modes(stack.dataDir)
    expect(all.map((m) => m.file)).toEqual(expect.arrayContaining(['item.journal', 'config.json', path.join('logs', 'item.log'), path.join('run', 'stack.json'), path.join('run', 'gateway.sock'), path.join('run', 'broker.sock')]))
    const open = all.filter((m) => m.mode !== (m.kind === 'dir' ? 0o700 : 0o600))
    expect(open).toEqual([])
  })
})

describe('pids are checked before they are touched', () => {
  it('a stale pid file holding a stranger\'s pid: up neither waits for nor kills the stranger', async () => {
    stack = await startStack()
    const {dataDir} = stack
    expect((await stack.cli('down')).code).toBe(0)
    const stranger = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120_000)'], {stdio: 'ignore'})
    strangers.push(stranger.pid!)
    writeFileSync(path.join(dataDir, 'run', 'item.pid'), `${stranger.pid}\n`)
    const up = await stack.cli('up')
    expect(up.code, up.stderr).toBe(0)
    expect(isGone(stranger.pid!)).toBe(false)
    const status = await stack.json(['status'])
    expect(status.processes.find((p: {name: string}) => p.name === 'item')).toMatchObject({state: 'online'})
    await stack.cli('down')
    expect(isGone(stranger.pid!)).toBe(false) // down leaves it alone too
  })
})

describe('no daemon outlives its supervisor', () => {
  it('kill -9 of the supervisor: every daemon exits on its own', async () => {
    stack = await startStack()
    const status = await stack.json(['status'])
    const supervisor = status.processes.find((p: {name: string}) => p.name === 'supervisor').pid
    const daemons = status.processes.filter((p: {name: string}) => p.name !== 'supervisor').map((p: {pid: number}) => p.pid)
    process.kill(supervisor, 'SIGKILL')
    await eventually(() => expect(daemons.filter((pid: number) => !isGone(pid))).toEqual([]), {timeoutMs: 30_000})
  })
})
