import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {runCli, startStack, type Stack} from './stack.js'

// The read commands' plain form skips oclif (src/fast/fastPath.ts): whatever it prints and exits
// with must be exactly what the oclif command does (GDMARKET_NO_FAST_PATH=1 forces that one).
let stack: Stack
beforeAll(async () => {
  stack = await startStack()
  const item = await stack.json(['item', 'register', '--name', 'Camera', '--price', '100'])
  const reservation = await stack.json(['reserve', String(item.itemNo), '--customer', 'Kim'])
  await stack.json(['pay', String(reservation.reservationNo)])
}, 60_000)
afterAll(() => stack?.stop())

async function bothDoors(args: string[], dataDir = stack.dataDir) {
  const fast = await runCli(args, {dataDir})
  const oclif = await runCli(args, {dataDir, env: {GDMARKET_NO_FAST_PATH: '1'}})
  expect({code: fast.code, stdout: fast.stdout, stderr: fast.stderr}).toEqual({code: oclif.code, stdout: oclif.stdout, stderr: oclif.stderr})
  return fast
}

describe('the fast path answers exactly as the oclif commands', () => {
  it.each([
    [['item', 'show', '1']],
    [['item', 'show', '1', '--json']],
    [['item', 'list']],
    [['view', '--json']],
    [['view']],
    [['reservation', 'show', '1']],
    [['reservation', 'list', '--json']],
    [['payment', 'list']],
  ])('gdmarket %s', async (args) => {
    const result = await bothDoors(args)
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(args[0] === 'payment' ? /100/ : /Camera/)
  })

  it('a refusal from the service: the same one line, the same {"error"} and exit 4', async () => {
    const result = await bothDoors(['item', 'show', '42', '--json'])
    expect(result.code).toBe(4)
    expect(result.json.error.code).toBe('ITEM_NOT_FOUND')
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
  })

  it('settings from config.json are read and checked: a broken one fails both ways with exit 2', async () => {
    const config = path.join(stack.dataDir, 'config.json')
    writeFileSync(config, JSON.stringify({requestTimeoutMs: 4000}))
    expect((await bothDoors(['item', 'show', '1'])).code).toBe(0)
    writeFileSync(config, JSON.stringify({requestTimeoutMs: -1}))
    expect((await bothDoors(['item', 'show', '1'])).code).toBe(2)
    rmSync(config)
  })

  it('a stopped service fails at once with exit 5, as does a data dir with no stack', async () => {
    await stack.json(['service', 'stop', 'payment'])
    expect((await bothDoors(['payment', 'list'])).stderr).toContain('gdmarket service start payment')
    await stack.json(['service', 'start', 'payment'])

    const empty = mkdtempSync(path.join(tmpdir(), 'gdmarket-test-'))
    try {
      const result = await bothDoors(['view'], empty)
      expect(result.code).toBe(5)
      expect(result.stderr).toContain('gdmarket up')
    } finally {
      rmSync(empty, {recursive: true, force: true})
    }
  })
})
