import {mkdirSync} from 'node:fs'
import path from 'node:path'

import {distance} from 'fastest-levenshtein'
import writeFileAtomic from 'write-file-atomic'

import {isTextSetting, settingKeys, settingProblem, settingsOf, settingsTable, type SettingKey, type SettingReader, type SettingValue} from '../config.js'
import {badInput} from '../errors.js'

/**
 * Editing <data-dir>/config.json for `gdmarket config set|unset`. Validation is the one of
 * src/config.ts (settingProblem for a value, settingsOf for the whole file), so the file the
 * command writes is exactly one the daemons accept.
 */

export function checkKey(key: string): SettingKey {
  if ((settingKeys as string[]).includes(key)) return key as SettingKey
  const meant = nearestKey(key)
  if (meant) throw badInput(`unknown setting "${key}"; did you mean "${meant}"? (see \`gdmarket config list\`)`)
  throw badInput(`unknown setting "${key}"; known: ${settingKeys.join(', ')}`)
}

/**
 * The setting a mistyped key means: the same letters in another case or spelling (`paymentlimit`,
 * `payment-limit`, `GDMARKET_PAYMENT_LIMIT`), else a slip of a character or two.
 */
export function nearestKey(typed: string): SettingKey | undefined {
  const plain = (text: string) => text.toLowerCase().replace(/^gdmarket_/, '').replace(/[^a-z0-9]/g, '')
  const same = settingKeys.find((key) => plain(key) === plain(typed))
  if (same) return same
  const near = settingKeys
    .map((key) => ({key, d: distance(plain(typed), plain(key))}))
    .filter(({key, d}) => d <= Math.max(2, Math.floor(key.length / 5)))
    .sort((a, b) => a.d - b.d)
  return near[0]?.key
}

/** A value from the command line: a whole number within the setting's range, or a text setting's text (free, or one of its words). */
export function parseSettingValue(key: SettingKey, text: string): SettingValue {
  const value = isTextSetting(key) ? text.trim() : /^\s*-?\d+\s*$/.test(text) ? Number(text) : Number.NaN
  const problem = settingProblem(key, value)
  if (problem) throw badInput(`invalid value ${JSON.stringify(text)} for ${key}: it ${problem}; config.json is unchanged`)
  return value as SettingValue
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

/**
 * Daemons read their settings when they start (src/runtime/daemon.ts): a change waits for a
 * restart of the one that reads it (src/config.ts, `readBy`), which the note names.
 */
export function restartNote(key: string): string {
  const reader = (settingsTable as Record<string, {readBy: SettingReader}>)[key]?.readBy
  const restart =
    reader === undefined || reader === 'stack'
      ? 'restart the stack: `gdmarket down` and `gdmarket up`'
      : `restart the ${reader} service: \`gdmarket service restart ${reader}\``
  return `note: the running stack read its settings when it started; for ${key} to apply, ${restart}`
}
