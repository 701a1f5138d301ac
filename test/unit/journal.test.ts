import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {Journal, type JournalDisk} from '../../src/store/journal.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdmarket-journal-'))
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

const full = () => Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'})

/** The journal's disk, to be filled up: the write takes `keep` of the bytes, then says the disk is full. */
function diskOf(journal: Journal<unknown>) {
  const disk = (journal as unknown as {disk: JournalDisk}).disk
  const real = {...disk}
  return {
    fillAfter(keep: (bytes: number) => number) {
      disk.write = (fd, bytes, offset, length) => {
        real.write(fd, bytes, offset, keep(length))
        throw full()
      }
    },
    spaceBack: () => (disk.write = real.write),
  }
}

describe('journal, after a write failed (a full disk)', () => {
  it('acknowledges nothing more, leaves no torn line, and opens again with what was acknowledged', async () => {
    const file = join(dir, 'x.journal')
    const {journal} = await Journal.open<{n: number}>(file, async () => {})
    await journal.append({n: 1})
    // the disk takes a few bytes of the next write, then is full
    const disk = diskOf(journal)
    disk.fillAfter(() => 7)
    const lost = journal.append({n: 2})
    const onTop = journal.append({n: 3}) // decided on top of n 2, while it was on its way
    await expect(lost).rejects.toThrow('ENOSPC')
    await expect(onTop).rejects.toThrow('ENOSPC')
    disk.spaceBack() // space is back: still nothing more, memory is ahead of the disk
    await expect(journal.append({n: 4})).rejects.toThrow('ENOSPC')
    await expect(journal.synced()).rejects.toThrow('ENOSPC')
    expect(journal.failed?.message).toContain('ENOSPC')
    expect(readFileSync(file, 'utf8')).toBe('{"n":1}\n')
    await journal.close()

    const reopened = await Journal.open<{n: number}>(file, async () => {})
    expect(reopened.records).toEqual([{n: 1}])
    expect(reopened.dropped).toBeUndefined()
    await reopened.journal.close()
  })

  it('cuts the torn part back before it rejects anyone, so a crash between the two leaves no record its appender was told failed', async () => {
    const file = join(dir, 'z.journal')
    const {journal} = await Journal.open<{n: number}>(file, async () => {})
    await journal.append({n: 1})
    const handle = (journal as unknown as {handle: {truncate(len: number): Promise<void>}}).handle
    const truncate = handle.truncate.bind(handle)
    const order: string[] = []
    // the disk takes the whole record but its newline, then is full: what a crash would keep
    diskOf(journal).fillAfter((length) => length - 1)
    handle.truncate = async (len: number) => {
      order.push(`cut back to ${len} bytes from ${JSON.stringify(readFileSync(file, 'utf8'))}`)
      await truncate(len)
    }
    const told = (who: string) => (error: Error) => void order.push(`${who} told ${error.message.slice(0, 6)} with ${JSON.stringify(readFileSync(file, 'utf8'))} on disk`)
    const lost = journal.append({n: 2}).catch(told('n 2'))
    const onTop = journal.append({n: 3}).catch(told('n 3'))
    await Promise.all([lost, onTop])
    await journal.append({n: 4}).catch(told('n 4'))
    expect(order).toEqual([
      'cut back to 8 bytes from "{\\"n\\":1}\\n{\\"n\\":2}\\n{\\"n\\":3}"',
      'n 2 told ENOSPC with "{\\"n\\":1}\\n" on disk',
      'n 3 told ENOSPC with "{\\"n\\":1}\\n" on disk',
      'n 4 told ENOSPC with "{\\"n\\":1}\\n" on disk',
    ])
    await journal.close()
  })

  it('a snapshot that cannot be written between two writes fails what waits, instead of leaving it waiting', async () => {
    let snapshots = 0
    const {journal} = await Journal.open<{n: number}>(join(dir, 'y.journal'), async () => {
      if (++snapshots === 2) throw full()
    })
    await journal.append({n: 1})
    await expect(journal.append({n: 2})).rejects.toThrow('ENOSPC')
    await expect(journal.append({n: 3})).rejects.toThrow('ENOSPC')
    await journal.close()
  })
})
