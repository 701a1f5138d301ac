import {closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'

import {loadSettings, settingKeys, settingProblem, type SettingKey} from '../config.js'
import {badInput} from '../errors.js'

/**
 * Editing <data-dir>/config.json for `gdmarket config set|unset`. Validation is the one of
 * src/config.ts (settingProblem for a value, loadSettings for the whole file), so the file the
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

/** The file's settings as written (unknown keys too, so `unset` can remove them); {} when there is no file. */
export function readConfigObject(file: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw badInput(`cannot read ${file}: ${(error as Error).message}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw badInput(`${file} is not valid JSON (${(error as Error).message}); fix it or remove it — it is left as it is`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badInput(`${file} must hold a JSON object of settings; fix it or remove it — it is left as it is`)
  }
  return parsed as Record<string, unknown>
}

/**
 * Replaces the file in one step: the new text goes to a temporary file beside it, is loaded the
 * way a daemon will load it, and only then renamed over the old one. A refused or interrupted
 * write leaves the old file untouched, and no reader ever sees half a file.
 */
export function writeConfigObject(file: string, settings: Record<string, unknown>, {validate = true} = {}): void {
  mkdirSync(path.dirname(file), {recursive: true})
  const tmp = `${file}.${process.pid}.tmp`
  // fsynced before the rename, as the stores are (src/store/serviceStore.ts): a confirmed `set` survives a crash
  const fd = openSync(tmp, 'w')
  try {
    writeFileSync(fd, `${JSON.stringify(settings, null, 2)}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  try {
    if (validate) loadSettings(tmp, {}, {}) // no environment: it is the file that must be right
  } catch (error) {
    rmSync(tmp, {force: true})
    throw badInput(`${(error as Error).message.replaceAll(tmp, file)}; config.json is unchanged`)
  }
  renameSync(tmp, file)
}

/** Daemons read their settings when they start (src/runtime/daemon.ts): a change waits for a restart. */
export const restartNote = (key: string) =>
  `note: the running stack read its settings when it started; restart what uses ${key} (\`gdmarket service restart NAME\`, or \`gdmarket down\` and \`gdmarket up\`)`
