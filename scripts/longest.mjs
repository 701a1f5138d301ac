#!/usr/bin/env node
// The longest functions under a folder, by the TypeScript compiler's own syntax tree: how long a
// function may grow is a rule of this code (docs/architecture.md#code-layout), and this checks it.
// Usage: npm run longest [-- DIR [COUNT]]   (default: src 10)
import {readFileSync, readdirSync} from 'node:fs'
import path from 'node:path'

import ts from 'typescript'

const [dir = 'src', count = '10'] = process.argv.slice(2)

const sources = (folder) =>
  readdirSync(folder, {withFileTypes: true}).flatMap((entry) => {
    const file = path.join(folder, entry.name)
    if (entry.isDirectory()) return sources(file)
    return /\.m?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [file] : []
  })

/** a function's name: its own, or the variable, property or method it is assigned to */
const nameOf = (node) => node.name?.getText() ?? node.parent?.name?.getText?.() ?? '(anonymous)'

const found = []
for (const file of sources(dir)) {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart()).line
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line
      found.push({lines: last - first + 1, where: `${file}:${first + 1}`, name: nameOf(node)})
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
}
for (const f of found.sort((a, b) => b.lines - a.lines).slice(0, Number(count))) {
  console.log(`${String(f.lines).padStart(5)} lines  ${f.where}  ${f.name}`)
}
