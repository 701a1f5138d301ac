import {describe, expect, it} from 'vitest'

import {KeyedMailbox} from '../../src/runtime/keyedMailbox.js'

/** A task that waits until the test lets it go, recording when it starts and ends. */
function gate(log: string[], name: string) {
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  return {
    open,
    task: async () => {
      log.push(`${name} starts`)
      await opened
      log.push(`${name} ends`)
      return name
    },
  }
}

describe('a mailbox per key', () => {
  it('runs the tasks of one key one after the other, in the order they came, even across awaits', async () => {
    const log: string[] = []
    const box = new KeyedMailbox<number>()
    const [a, b] = [gate(log, 'a'), gate(log, 'b')]
    const done = [box.run(1, a.task), box.run(1, b.task)]
    b.open() // b may not start before a has ended, ready or not
    await Promise.resolve()
    expect(log).toEqual(['a starts'])
    a.open()
    expect(await Promise.all(done)).toEqual(['a', 'b'])
    expect(log).toEqual(['a starts', 'a ends', 'b starts', 'b ends'])
  })

  it('runs tasks of different keys side by side', async () => {
    const log: string[] = []
    const box = new KeyedMailbox<number>()
    const [a, b] = [gate(log, 'a'), gate(log, 'b')]
    const done = [box.run(1, a.task), box.run(2, b.task)]
    await new Promise((resolve) => setImmediate(resolve))
    expect(log).toEqual(['a starts', 'b starts'])
    a.open()
    b.open()
    await Promise.all(done)
  })

  it('goes on after a task that fails, which fails alone', async () => {
    const box = new KeyedMailbox<string>()
    const failed = box.run('r1', async () => {
      throw new Error('refused')
    })
    const next = box.run('r1', async () => 'next')
    await expect(failed).rejects.toThrow('refused')
    expect(await next).toBe('next')
  })

  it('forgets a key once its tasks are done', async () => {
    const box = new KeyedMailbox<number>()
    await Promise.all([box.run(1, async () => 1), box.run(2, async () => 2)])
    await new Promise((resolve) => setImmediate(resolve))
    expect(box.size).toBe(0)
  })
})
