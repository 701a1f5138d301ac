#!/usr/bin/env node
// The CLI runs from one bundle of oclif and every command (scripts/bundle.mjs), compiled with
// V8's code cache: a new process neither reads ~300 modules nor parses the bundle
// (docs/performance.md#the-cli-as-a-new-process).
import fs from 'node:fs'
import Module, {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import vm from 'node:vm'
import {crc32} from 'node:zlib'

const filename = fileURLToPath(new URL('../dist/bundle/cli/main.cjs', import.meta.url))
const cacheFile = `${filename}.v8cache`
const source = fs.readFileSync(filename, 'utf8')
// V8 checks a cache against its own version and flags and the source's length only, and Node 20's
// V8 does not checksum it (a corrupt one aborts the process): a header line holds the bundle's size
// and time (an earlier build of the same length) and the cache's CRC-32, checked before V8 sees it
const {size, mtimeMs} = fs.statSync(filename)
const built = `${size}:${mtimeMs}`
/** larger than any cache of this bundle (about 1 MB): a file that size is not one */
const MAX_CACHE_BYTES = 64 * 1024 * 1024
const cached = (() => {
  try {
    // only a plain file of ours: never through a link, never a pipe or a device that may not end
    const found = fs.lstatSync(cacheFile)
    if (!found.isFile() || found.size > MAX_CACHE_BYTES) return undefined
    const file = fs.readFileSync(cacheFile)
    const newline = file.indexOf(10)
    const data = file.subarray(newline + 1)
    return file.toString('latin1', 0, newline) === `${built}:${crc32(data)}` ? data : undefined
  } catch {
    return undefined // none yet
  }
})()
// CommonJS's wrapper, and the bundle's import() (scripts/bundle.mjs): V8 forgets a vm.Script's own
// import() callback when it restores the script from a cache
const wrapper = `(function (exports, require, module, __filename, __dirname, __gdmarketImport) {${source}\n})`
const script = new vm.Script(wrapper, {filename, cachedData: cached})
// a CommonJS module of the bundle's path, so oclif's require of its commands and hooks finds this one
const bundle = new Module(filename)
bundle.filename = filename
bundle.paths = Module._nodeModulePaths(path.dirname(filename))
Module._cache[filename] = bundle
const run = script.runInThisContext()
run.call(bundle.exports, bundle.exports, createRequire(filename), bundle, filename, path.dirname(filename), (specifier) => import(specifier))
bundle.loaded = true

// no cache, or one V8 turned down (another node, other flags): a new one when the command ends,
// with what it compiled, beside the bundle if that is writable (never in a data dir)
if (!cached || script.cachedDataRejected) {
  process.once('exit', () => {
    const temp = `${cacheFile}.${process.pid}.${Math.random().toString(36).slice(2)}`
    try {
      const data = script.createCachedData()
      // 'wx': a new file or none, never through a link someone put at that name
      fs.writeFileSync(temp, Buffer.concat([Buffer.from(`${built}:${crc32(data)}\n`), data]), {flag: 'wx'})
      fs.renameSync(temp, cacheFile)
    } catch (error) {
      // a read-only install runs without; a name already taken is someone else's to keep
      if (error.code !== 'EEXIST') fs.rmSync(temp, {force: true})
    }
  })
}
await bundle.exports.execute({dir: import.meta.url})
