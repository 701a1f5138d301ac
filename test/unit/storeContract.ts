import {copyFileSync, existsSync, readdirSync, readFileSync, truncateSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {ServiceStore} from '../../src/store/serviceStore.js'
import type {JournalDisk} from '../../src/store/journal.js'

/**
 * What each store kind does to its own files, so one contract suite (serviceStore.test.ts) can
 * fill its disk, tear its last write, or copy it mid-flight (what `kill -9` leaves) the same way.
 */
export interface KindUnderTest {
  kind: 'json' | 'sqlite'
  /** the store file of a service named `item`, in dir */
  file(dir: string): string
  /** a file of this kind's name that is not a store at all */
  garbage: string
  /** the disk is full from the next write on; returns what gives the space back */
  fill(store: ServiceStore<unknown>): () => void
  /** cuts the last commit on disk in two, as a crash in the middle of its write leaves it */
  tearLastCommit(file: string): void
  /** cuts the snapshot (the file everything else goes on from) to 60 % */
  tearSnapshot(file: string): void
}

const internals = (store: ServiceStore<unknown>) => (store as unknown as {files: Record<string, any>}).files
const full = () => Object.assign(new Error('ENOSPC: no space left on device, write'), {code: 'ENOSPC'})
const cut = (file: string, fraction: number) => truncateSync(file, Math.floor(readFileSync(file).length * fraction))

export const kindsUnderTest: KindUnderTest[] = [
  {
    kind: 'json',
    file: (dir) => join(dir, 'item.json'),
    garbage: '{not json',
    fill(store) {
      // the disk takes a few bytes of the next write, then is full
      const disk: JournalDisk = internals(store).journal.disk
      const write = disk.write
      disk.write = (fd, bytes, offset) => {
        write(fd, bytes, offset, 7)
        throw full()
      }
      return () => (disk.write = write)
    },
    tearLastCommit(file) {
      const journal = file.replace(/\.json$/, '.journal')
      const text = readFileSync(journal, 'utf8')
      const last = text.slice(0, -1).lastIndexOf('\n') + 1
      writeFileSync(journal, text.slice(0, last + Math.floor((text.length - last) / 2)))
    },
    tearSnapshot: (file) => cut(file, 0.6),
  },
  {
    kind: 'sqlite',
    file: (dir) => join(dir, 'item.sqlite'),
    garbage: 'garbage, not a database',
    fill(store) {
      // SQLite's own SQLITE_FULL: the database may not grow by one more page
      const db = internals(store).db
      const pages = db.pragma('page_count', {simple: true}) as number
      db.pragma(`max_page_count = ${pages}`)
      return () => db.pragma('max_page_count = 1073741823')
    },
    tearLastCommit(file) {
      // the last transaction's frames end the -wal: cut into its commit frame
      const wal = `${file}-wal`
      truncateSync(wal, readFileSync(wal).length - 100)
    },
    tearSnapshot: (file) => cut(file, 0.6),
  },
]

/** Every file of the store in dir (the kind's side files too), by name. */
export const storeFiles = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('item.'))

/** The store's files as they are on disk right now, copied to another dir: what a `kill -9` at this moment leaves. */
export function crashCopy(from: string, to: string): void {
  // not SQLite's -shm: an index of the -wal that the first to open the copy rebuilds, as after a real crash
  for (const name of storeFiles(from)) if (!name.endsWith('-shm') && existsSync(join(from, name))) copyFileSync(join(from, name), join(to, name))
}
