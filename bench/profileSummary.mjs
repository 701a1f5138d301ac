// @ts-check
/**
 * `node bench/profileSummary.mjs DIR [TOP]`: what the CPU profiles written by `npm run bench --
 * --cpu-prof DIR` say, one block per process: where its samples were spent (self time), by
 * package or source file and by function. Which process a profile is from comes from the
 * processes.json the bench writes beside them (profiles are named after their process's pid).
 */
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'

const [dir, topArg] = process.argv.slice(2)
if (!dir) {
  console.error('usage: node bench/profileSummary.mjs DIR [TOP]')
  process.exit(2)
}
const top = Number(topArg ?? 12)

/** @param {string} url */
function place(url) {
  if (!url) return '(native / vm)'
  const nm = url.lastIndexOf('node_modules/')
  if (nm >= 0) {
    const parts = url.slice(nm + 'node_modules/'.length).split('/')
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]
  }
  const dist = url.indexOf('/dist/')
  if (dist >= 0) return url.slice(dist + 1)
  if (url.startsWith('node:')) return url.split('/').slice(0, 2).join('/')
  return url
}

/** @param {string} file */
function processName(file) {
  const pid = path.basename(file).split('.').at(-2) ?? ''
  try {
    return JSON.parse(readFileSync(path.join(path.dirname(file), 'processes.json'), 'utf8'))[pid] ?? 'a CLI command (e.g. up)'
  } catch {
    return `pid ${pid}`
  }
}

/** @param {string} file */
function summarise(file) {
  /** @type {{nodes: {id: number, callFrame: {functionName: string, url: string, lineNumber: number}}[], samples: number[], timeDeltas: number[], startTime: number, endTime: number}} */
  const profile = JSON.parse(readFileSync(file, 'utf8'))
  const byId = new Map(profile.nodes.map((n) => [n.id, n]))
  /** @type {Map<number, number>} */
  const self = new Map()
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)))
  /** @type {Map<string, number>} */
  const byPlace = new Map()
  /** @type {Map<string, number>} */
  const byFunction = new Map()
  let busy = 0
  for (const [id, us] of self) {
    const {callFrame} = /** @type {any} */ (byId.get(id))
    if (callFrame.functionName === '(idle)') continue
    busy += us
    const where = place(callFrame.url)
    byPlace.set(where, (byPlace.get(where) ?? 0) + us)
    const fn = `${callFrame.functionName || '(anonymous)'} ${where}:${callFrame.lineNumber + 1}`
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us)
  }
  const wall = (profile.endTime - profile.startTime) / 1000
  const ms = (/** @type {number} */ us) => `${(us / 1000).toFixed(0).padStart(7)} ms ${((us / busy) * 100).toFixed(1).padStart(5)} %`
  const lines = [`${path.relative(dir, file)}: ${processName(file)}, wall ${wall.toFixed(0)} ms, busy ${(busy / 1000).toFixed(0)} ms`]
  lines.push('  by place (self time):')
  for (const [p, us] of [...byPlace].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${ms(us)}  ${p}`)
  lines.push('  by function (self time):')
  for (const [f, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`  ${ms(us)}  ${f}`)
  return lines.join('\n')
}

const files = readdirSync(dir, {recursive: true})
  .map(String)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => path.join(dir, f))
  .sort((a, b) => statSync(a).size - statSync(b).size)
for (const file of files) console.log(summarise(file) + '\n')
