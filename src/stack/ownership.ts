import {lstatSync, readdirSync, statSync, type Stats} from 'node:fs'
import path from 'node:path'

import {badInput} from '../errors.js'
import type {DataDir} from '../paths.js'

const statOf = (file: string, stat: (file: string) => Stats): Stats | undefined => {
  try {
    return stat(file)
  } catch {
    return undefined
  }
}

/** What is in a folder (nothing, if it is not there). */
const entriesOf = (folder: string): string[] => {
  try {
    return readdirSync(folder).map((name) => path.join(folder, name))
  } catch {
    return []
  }
}

/**
 * Another user must not be able to change this stack's files or settings (e.g. open the gateway's
 * port with `httpAuth 0`, or plant a symlink that the stack then appends its logs to), so `up`
 * refuses, as ssh refuses a key file others may write:
 * - a data dir another user owns, or a symlink to it that another user owns (they could point it
 *   elsewhere later);
 * - anything in it, in `run/` or in `logs/` that another user owns (put there before it was
 *   private: `up` makes the dir 0700, after which nobody else can add anything);
 * - a config.json that is not a plain file, or that others may write.
 */
export function checkOwnership(dir: DataDir): void {
  const uid = process.getuid?.()
  if (uid === undefined) return
  const link = statOf(dir.root, lstatSync)
  const root = statOf(dir.root, statSync)
  if (!link || !root) return // made by `up`, private from the start
  for (const [what, stats] of [['the data dir', root], ['the link to the data dir', link]] as const) {
    if (stats.uid !== uid) throw badInput(`${what} ${dir.root} belongs to uid ${stats.uid}, not to you: its owner could change the stack's files; use a directory of your own`)
  }
  for (const file of [dir.root, dir.runDir, dir.logsDir].flatMap(entriesOf)) {
    const stats = statOf(file, lstatSync)
    if (stats && stats.uid !== uid) {
      throw badInput(`${file} belongs to uid ${stats.uid}, not to you: someone else put it in the data dir; remove it, or use a directory of your own`)
    }
  }
  const config = statOf(dir.configFile, lstatSync)
  if (!config) return
  const problem = !config.isFile()
    ? 'is not a plain file'
    : (config.mode & 0o022) !== 0
      ? `can be written by others (mode ${(config.mode & 0o777).toString(8)})`
      : undefined
  if (problem) throw badInput(`${dir.configFile} ${problem}: anyone could change the settings; remove it, or \`chmod 600\` it if it is yours`)
}
