// A JSON store's snapshot at N items (issue 19's growth): how long one takes, and the longest a
// commit waits meanwhile. Before: JSON.stringify of the whole document + write-file-atomic, inside
// the journal's between() hook, so every commit waited for all of it. After: captured, the journal
// rotated, and written in pieces in the background (src/store/snapshotFile.ts).
// The SQLite kind (`--sqlite`) snapshots the state alone (the events are rows): before, one
// JSON.stringify of it in the commit's transaction; after, a megabyte a transaction between commits.
//   npm run build && node --max-old-space-size=12000 bench/snapshot.mjs [--sqlite] 100000 400000 1000000
import {mkdtempSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {performance} from 'node:perf_hooks'

import writeFileAtomic from 'write-file-atomic'

import {evolveItem, initialItemState} from '../dist/services/item/item.js'
import {ServiceStore} from '../dist/store/serviceStore.js'
import {captureDoc, readSnapshot, writeSnapshot} from '../dist/store/snapshotFile.js'

const uuid = (i) => `0000${i.toString(16)}`.slice(-8) + '-5f3a-4c2e-9d1b-7a6e2f0c8b41'
const registered = (itemNo) => ({
  id: uuid(itemNo), source: 'item', seq: itemNo, type: 'ItemRegistered', time: '2026-12-06T06:52:50.123Z', correlationId: uuid(itemNo + 7),
  data: {itemNo, itemName: `Camping lantern no. ${itemNo}`, itemPrice: 1000 + (itemNo % 97), latitude: 37.5 + (itemNo % 1000) / 1e4, longitude: 127 + (itemNo % 1000) / 1e4},
})

/** A store of `n` items, as item's would be after registering them. */
async function storeOf(dir, n) {
  const store = await ServiceStore.open('item', join(dir, sqlite ? 'item.sqlite' : 'item.json'), initialItemState, evolveItem)
  const doc = store.document
  for (let i = 1; i <= n; i++) {
    const e = registered(i)
    doc.events.push(e)
    evolveItem(doc.state, e)
  }
  return store
}

const ms = (t) => `${t.toFixed(0)} ms`
const sqlite = process.argv.includes('--sqlite')

/** Before, on SQLite: the state stringified and written in one transaction, which every commit waited for. */
function beforeSqlite(store) {
  const files = store.files
  const t0 = performance.now()
  const text = JSON.stringify(store.state)
  const t1 = performance.now()
  files.db.transaction(() => files.db.prepare('INSERT OR REPLACE INTO snapshot (id, n, state) VALUES (1, 0, ?)').run(text))()
  return {stringify: t1 - t0, total: performance.now() - t0, bytes: text.length}
}

async function before(dir, doc) {
  const t0 = performance.now()
  let text
  try {
    text = JSON.stringify(doc)
  } catch (error) {
    return {failed: error.message}
  }
  const t1 = performance.now()
  await writeFileAtomic(join(dir, 'before.json'), text, {fsync: true, mode: 0o600})
  const t2 = performance.now()
  return {stringify: t1 - t0, total: t2 - t0, bytes: text.length}
}

/** Commits one after another (as requests come) while a snapshot is due, then written; the longest wait of one. */
async function after(store) {
  const files = store.files
  let seq = store.lastSeq
  const commitOne = async () => {
    const e = {...registered(++seq), data: {...registered(seq).data}}
    const t = performance.now()
    await store.commit({state: evolveItem(store.state, e), events: [e]})
    return performance.now() - t
  }
  for (let i = 0; i < 200; i++) await commitOne() // warm
  files.recordsSinceSnapshot = 1e9 // due at the next group
  files.snapshotN = -1e9 // (SQLite) due after the next transaction
  const t0 = performance.now()
  let longest = 0
  let commits = 0
  const slow = []
  await commitOne() // its group begins the snapshot
  const started = performance.now() - t0
  while (files.writing) {
    const took = await commitOne()
    longest = Math.max(longest, took)
    if (took > 10) slow.push(Math.round(took))
    commits++
  }
  return {begin: started, total: performance.now() - t0, longest, commits, slow}
}

for (const n of process.argv.slice(2).filter((a) => a !== '--sqlite').map(Number)) {
  const dir = mkdtempSync(join(tmpdir(), 'gdmarket-snapbench-'))
  try {
    const store = await storeOf(dir, n)
    const b = sqlite ? beforeSqlite(store) : await before(dir, store.document)
    const t = performance.now()
    const captured = captureDoc(store.document)
    const capture = performance.now() - t
    const a = await after(store)
    const size = sqlite ? b.bytes : statSync(join(dir, 'item.json')).size
    const r0 = performance.now()
    if (!sqlite) await readSnapshot(join(dir, 'item.json'))
    const read = performance.now() - r0
    console.log(
      `${n} items, ${(size / 1e6).toFixed(0)} MB (${(size / n).toFixed(0)} B/item) | before: ${b.failed ?? `stringify ${ms(b.stringify)}, +write ${ms(b.total)} = the stall of every commit`}` +
        ` | after: capture ${ms(capture)}, the commit that began it ${ms(a.begin)}, written in ${ms(a.total)}, ${a.commits} commits meanwhile, longest ${a.longest.toFixed(1)} ms (over 10 ms: ${a.slow.join(', ') || 'none'}) | read back ${sqlite ? "(not measured)" : ms(read)}`,
    )
    void captured
    const s0 = performance.now()
    await store.close()
    console.log(`  a graceful stop (a whole snapshot, awaited): ${ms(performance.now() - s0)}`)
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
