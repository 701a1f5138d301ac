import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {captureDoc, readSnapshot, writeSnapshot} from '../../src/store/snapshotFile.js'
import type {StoreDoc} from '../../src/store/storeDoc.js'

let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdmarket-snapshot-'))
  file = join(dir, 'item.json')
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

const items = (n: number) => Object.fromEntries(Array.from({length: n}, (_, i) => [String(i + 1), {itemNo: i + 1, itemName: `Thing "${i}"\n`, bookings: []}]))
const docOf = (n: number): StoreDoc<unknown> => ({
  format: 1,
  state: {items: items(n), byName: Object.assign(JSON.parse('{"__proto__":1,"b":[1,2]}') as object, {gone: undefined}), empty: {}, list: [1, 'two', null], lastItemNo: n, note: null, unset: undefined},
  events: Array.from({length: n}, (_, i) => ({seq: i + 1, type: 'ItemRegistered', data: {itemNo: i + 1}})) as unknown as StoreDoc<unknown>['events'],
  publishedSeq: 3,
  inbox: {reservation: {upTo: 2, above: [4]}},
  held: {},
  journalN: n,
})

describe('the snapshot file: written in pieces, read a line at a time', () => {
  it('reads back exactly what JSON.parse of the whole document gives, and is one JSON document', async () => {
    const live = docOf(4500)
    const doc = JSON.parse(JSON.stringify(live)) as StoreDoc<unknown> // what JSON makes of it: undefined members left out
    await writeSnapshot(file, captureDoc(live))
    const text = readFileSync(file, 'utf8')
    expect(JSON.parse(text)).toEqual(doc)
    const read = (await readSnapshot(file)) as StoreDoc<{byName: object}>
    expect(read).toEqual(doc)
    expect(Object.keys(read.state.byName)).toEqual(['__proto__', 'b']) // an own member, as JSON.parse makes it
    expect(text.split('\n').length).toBeLessThan(30) // a few thousand elements to a line
  })

  it('keeps what the document was at the capture, whatever is committed while it is written', async () => {
    const doc = docOf(10)
    const captured = captureDoc(doc)
    const state = doc.state as {items: Record<string, unknown>; lastItemNo: number}
    state.items['11'] = {itemNo: 11}
    state.items['3'] = {itemNo: 3, changed: true} // an entry replaced, as evolve does
    state.lastItemNo = 11
    doc.events.push({seq: 11} as never)
    doc.journalN = 11
    await writeSnapshot(file, captured)
    expect(await readSnapshot(file)).toEqual(JSON.parse(JSON.stringify(docOf(10))))
  })

  it('reads a store written on one line (before), or pretty-printed by hand', async () => {
    const doc = JSON.parse(JSON.stringify(docOf(5))) as unknown
    writeFileSync(file, JSON.stringify(doc))
    expect(await readSnapshot(file)).toEqual(doc)
    writeFileSync(file, JSON.stringify(doc, null, 2))
    expect(await readSnapshot(file)).toEqual(doc)
  })

  it('refuses a file cut short anywhere: at a line end or inside a line', async () => {
    await writeSnapshot(file, captureDoc(docOf(3000)))
    const whole = readFileSync(file)
    const cuts = [...whole.entries()].filter(([, byte]) => byte === 10).map(([at]) => at).slice(0, -1)
    for (const at of [...cuts, ...cuts.map((c) => c + 3), whole.length - 2].filter((at) => at < whole.length - 1)) {
      writeFileSync(file, whole.subarray(0, at))
      await expect(readSnapshot(file), `cut at ${at}`).rejects.toThrow()
    }
  })

  it('no file: undefined', async () => {
    expect(await readSnapshot(join(dir, 'none.json'))).toBeUndefined()
  })
})
