import {mkdirSync} from 'node:fs'
import path from 'node:path'

import writeFileAtomic from 'write-file-atomic'

import {settingKeys, settingProblem, settingsOf, type SettingKey} from '../config.js'
import {badInput} from '../errors.js'

/**
 * Editing <data-dir>/config.json for `gdmarket config set|unset`. Validation is the one of
 * src/config.ts (settingProblem for a value, settingsOf for the whole file), so the file the
 * command writes is exactly one the daemons accept.
 */

export function checkKey(key: string): SettingKey {
  if (!(settingKeys as string[]).includes(key)) throw badInput(`unknown setting "${key}"; known: ${settingKeys.join(', ')}`)
  return key as SettingKey
}

/** A value from the command line: a whole number within the setting's range. */
export function parseSettingValue(key: SettingKey, text: string): number {
  const value = /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN
  const problem = settingProblem(key, value)
  if (problem) throw badInput(`invalid value ${JSON.stringify(text)} for ${key}: it ${problem}; config.json is unchanged`)
  return value
}

/**
 * Replaces the file in one step (write-file-atomic: a temporary file beside it, fsynced, renamed
 * over it), after checking its settings the way a daemon will load them: a refused or interrupted
 * write leaves the old file untouched, and no reader ever sees half a file.
 */
export function writeConfigObject(file: string, settings: Record<string, unknown>, {validate = true} = {}): void {
  if (validate) {
    try {
      settingsOf(settings, file, {}, {}) // no environment: it is the file that must be right
    } catch (error) {
      throw badInput(`${(error as Error).message}; config.json is unchanged`)
    }
  }
  mkdirSync(path.dirname(file), {recursive: true, mode: 0o700})
  writeFileAtomic.sync(file, `${JSON.stringify(settings, null, 2)}\n`, {mode: 0o600})
}

/** Daemons read their settings when they start (src/runtime/daemon.ts): a change waits for a restart. */
export const restartNote = (key: string) =>
  `note: the running stack read its settings when it started; restart what uses ${key} (\`gdmarket service restart NAME\`, or \`gdmarket down\` and \`gdmarket up\`)`
