import {lstatSync, statSync, type Stats} from 'node:fs'

import {badInput} from '../errors.js'
import type {DataDir} from '../paths.js'

const statOf = (file: string, stat: (file: string) => Stats): Stats | undefined => {
  try {
    return stat(file)
  } catch {
    return undefined
  }
}

/**
 * A data dir another user owns, or a config.json others may write, would let them change this
 * stack's files or settings (e.g. open the gateway's port with `httpAuth 0`): `up` refuses both,
 * as ssh refuses a key file others may write. A dir that does not exist yet is made private.
 */
export function checkOwnership(dir: DataDir): void {
  const uid = process.getuid?.()
  if (uid === undefined) return
  const root = statOf(dir.root, statSync)
  if (root && root.uid !== uid) {
    throw badInput(`the data dir ${dir.root} belongs to uid ${root.uid}, not to you: its owner could change the stack's files; use a directory of your own`)
  }
  const config = statOf(dir.configFile, lstatSync)
  if (!config) return
  const problem = !config.isFile()
    ? 'is not a plain file'
    : config.uid !== uid
      ? `belongs to uid ${config.uid}, not to you`
      : (config.mode & 0o022) !== 0
        ? `can be written by others (mode ${(config.mode & 0o777).toString(8)})`
        : undefined
  if (problem) throw badInput(`${dir.configFile} ${problem}: anyone could change the settings; remove it, or \`chmod 600\` it if it is yours`)
}
