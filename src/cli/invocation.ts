import {accessSync, constants, realpathSync} from 'node:fs'
import path from 'node:path'

import {shellWord} from '../paths.js'

/** Where to look for how this gdmarket is run: the PATH, the working folder, its bin/run.js and its package root. */
export interface Whereabouts {
  PATH: string
  cwd: string
  /** this CLI's bin/run.js */
  bin: string
  /** its package root (the checkout) */
  root: string
}

/** A file's real path (symlinks followed), or undefined when it is not there or cannot be run. */
function runnable(file: string): string | undefined {
  try {
    accessSync(file, constants.X_OK)
    return realpathSync(file)
  } catch {
    return undefined
  }
}

/**
 * How a person runs this gdmarket from here, for a line that says what to type next: `gdmarket`
 * when the one on the PATH is this one (`npm link`, a global install); in the checkout, where
 * `npm start` and the README's first commands run, `npx gdmarket` (npm finds the package's own
 * bin); elsewhere node and the full path of bin/run.js. A hint that names a command not on the
 * PATH fails the first thing a newcomer types.
 */
export function invocation({PATH, cwd, bin, root}: Whereabouts): string {
  const self = runnable(bin) ?? bin
  const onPath = PATH.split(path.delimiter)
    .filter((dir) => path.isAbsolute(dir))
    .map((dir) => runnable(path.join(dir, 'gdmarket')))
    .find((found) => found !== undefined)
  if (onPath === self) return 'gdmarket'
  const inside = path.relative(root, cwd)
  if (!inside.startsWith('..') && !path.isAbsolute(inside)) return 'npx gdmarket'
  return `node ${shellWord(bin)}`
}
