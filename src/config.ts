import {readFileSync} from 'node:fs'
import {isIP} from 'node:net'

import {machineTimeZone, timeZoneProblem} from './calendar.js'
import {badInput} from './errors.js'
import {parsePlace} from './place.js'

/**
 * Which process reads a setting when it starts, so a change applies after restarting it: a
 * service (`gdmarket service restart NAME`) or the supervisor with its gateway (`down` and `up`).
 */
export type SettingReader = 'item' | 'reservation' | 'payment' | 'view' | 'stack'

/** A setting: a whole number in a range, with its default, and who reads it. */
interface Setting {
  default: number
  min: number
  max?: number
  readBy: SettingReader
}
/** A setting that is text: empty is its default, and means not set. */
interface TextSetting {
  default: string
  readBy: SettingReader
  /** what is wrong with a value, or undefined when it is right */
  problem(value: string): string | undefined
}
/** The kinds of store a service can keep its data in (docs/storage.md): the setting's words, which the store layer implements. */
export const storeKinds = ['json', 'sqlite'] as const
export type StoreKind = (typeof storeKinds)[number]

/** A setting that is one of a few words (a store kind). */
interface ChoiceSetting<C extends string> {
  default: C
  choices: readonly C[]
  readBy: SettingReader
}
const ms = (min: number, fallback: number, readBy: SettingReader): Setting => ({default: fallback, min, readBy})
const portNumber = (fallback: number): Setting => ({default: fallback, min: 0, max: 65_535, readBy: 'stack'})
/** Which kind of store a service keeps its data in (docs/storage.md); `gdmarket store migrate` moves it. */
const storeKind = (fallback: StoreKind, readBy: SettingReader): ChoiceSetting<StoreKind> => ({default: fallback, choices: storeKinds, readBy})

/**
 * Every setting, its range and its default (docs/commands.md). Each is a whole number within a
 * range, text checked by its own rule, or one of a few words: a table says that more plainly than
 * a schema library would, and the CLI does not load one.
 */
export const settingsTable = {
  /** broker port; 0 picks any free port, recorded in run/stack.json */
  port: portNumber(0),
  /** the HTTP gateway's TCP port on 127.0.0.1 (the original's gateway port); 0 picks any free port, recorded in run/stack.json */
  httpPort: portNumber(8080),
  /** 1: the gateway's TCP port wants the stack's bearer token (`gdmarket token`); 0: open on purpose (status warns) */
  httpAuth: {default: 1, min: 0, max: 1, readBy: 'stack'},
  /** how long reservation waits for payment: the original system's Hystrix timeout */
  paymentTimeoutMs: ms(1, 610, 'reservation'),
  /** slows every payment on purpose, to show the deadline and the breaker */
  paymentDelayMs: ms(0, 0, 'payment'),
  /** the largest amount payment approves; larger ones are declined */
  paymentLimit: ms(1, 1_000_000, 'payment'),
  /** how long the gateway (and the CLI) wait for a service's reply */
  requestTimeoutMs: ms(1, 5000, 'stack'),
  /** how long `up` and `service start` wait for a service to say it is ready */
  readyTimeoutMs: ms(1, 15_000, 'stack'),
  /** how long a graceful stop may take before SIGKILL */
  stopTimeoutMs: ms(1, 5000, 'stack'),
  /** circuit breaker around payment: calls in the window before it may open (one slow call in a demo does not) */
  breakerVolumeThreshold: ms(1, 5, 'reservation'),
  /** …and the percentage of them that failed or timed out for it to open */
  breakerErrorThresholdPercentage: {default: 50, min: 1, max: 100, readBy: 'reservation'},
  /** how long it stays open before it lets one probe call through (half-open) */
  breakerResetTimeoutMs: ms(1, 10_000, 'reservation'),
  /** the rolling window its counts cover */
  breakerRollingCountTimeoutMs: ms(100, 10_000, 'reservation'),
  /** an external MQTT broker (`mqtt://HOST:PORT`, `mqtts://…`) instead of the embedded one (docs/deploy.md); empty: the embedded one */
  brokerUrl: {default: '', readBy: 'stack', problem: brokerUrlProblem},
  /** the CA certificate (PEM) an `mqtts://` broker's certificate is checked against; empty: the system's CAs */
  brokerCaFile: {default: '', readBy: 'stack', problem: () => undefined},
  /** where "near me" searches start (`view --near home`): LAT,LON in decimal degrees; empty: not set */
  home: {default: '', readBy: 'view', problem: (value: string) => (value === '' ? undefined : placeProblem(value))},
  /** the time zone of the market's calendar days (bookings, today's statuses): an IANA name; empty: the machine's */
  timeZone: {default: '', readBy: 'stack', problem: (value: string) => (value === '' ? undefined : timeZoneProblem(value))},
  /** payment on SQLite, as the original kept payment on a database of its own; the others in JSON files (a snapshot and a journal) */
  itemStore: storeKind('json', 'item'),
  reservationStore: storeKind('json', 'reservation'),
  paymentStore: storeKind('sqlite', 'payment'),
  viewStore: storeKind('json', 'view'),
  /**
   * the address the gateway's TCP port listens on: 127.0.0.1 (this host alone), or 0.0.0.0 for a
   * gateway that serves other hosts (`gateway run` in a container or behind a load balancer; docs/deploy.md)
   */
  httpHost: {default: '127.0.0.1', readBy: 'stack', problem: (value: string) => (isIP(value) ? undefined : 'must be an IP address to listen on, such as 127.0.0.1 or 0.0.0.0')},
} satisfies Record<string, Setting | TextSetting | ChoiceSetting<string>>
export type SettingKey = keyof typeof settingsTable
type Table = typeof settingsTable
export type Settings = {[K in SettingKey]: Table[K] extends ChoiceSetting<infer C> ? C : Table[K] extends TextSetting ? string : number}
export type SettingValue = Settings[SettingKey]
/** Values given on the command line (flags), over everything else. */
export type SettingFlags = Partial<{[K in SettingKey]: Settings[K] | undefined}>

/** Whether a setting's value is text (checked by its own rule, or one of a few words) rather than a number. */
export const isTextSetting = (key: SettingKey): boolean => typeof settingsTable[key].default === 'string'

const placeProblem = (value: string): string | undefined => {
  const parsed = parsePlace(value)
  return 'problem' in parsed ? parsed.problem : undefined
}

/** The time zone of the market's days: the setting, else the machine's. */
export const timeZoneOf = (settings: Settings): string => settings.timeZone || machineTimeZone()

/** A broker's address, never its credentials: they come from the data dir's broker-credentials.json, not from a command line. */
function brokerUrlProblem(value: string): string | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'must be a URL such as mqtt://HOST:1883 or mqtts://HOST:8883'
  }
  if (url.protocol !== 'mqtt:' && url.protocol !== 'mqtts:') return `must start with mqtt:// or mqtts://, not ${url.protocol}//`
  if (url.username || url.password) return 'must not hold a user name or password (they are read from broker-credentials.json in the data dir: `gdmarket broker config DIR`)'
  if (url.hostname === '' || (url.pathname !== '' && url.pathname !== '/') || url.search || url.hash) return 'must be only mqtt[s]://HOST[:PORT]'
  return undefined
}
export type SettingSource = 'flag' | 'env' | 'file' | 'default'

export const settingKeys = Object.keys(settingsTable) as SettingKey[]

/** The words a setting takes, or undefined for a number or free text. */
export const settingChoices = (key: SettingKey): readonly string[] | undefined => (settingsTable[key] as Partial<ChoiceSetting<string>>).choices

/** What is wrong with a value for a setting, or undefined when it is right. */
export function settingProblem(key: SettingKey, value: unknown): string | undefined {
  const choices = settingChoices(key)
  if (choices) return choices.includes(value as string) ? undefined : `must be one of ${choices.join(', ')}`
  if (isTextSetting(key)) return typeof value === 'string' ? (settingsTable[key] as TextSetting).problem(value) : 'must be text'
  const {min, max} = settingsTable[key] as Setting
  const range = max === undefined ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`
  const ok = typeof value === 'number' && Number.isSafeInteger(value) && value >= min && (max === undefined || value <= max)
  return ok ? undefined : `must be ${range}`
}

/** `paymentDelayMs` → `GDMARKET_PAYMENT_DELAY_MS` */
export const envName = (key: string) => 'GDMARKET_' + key.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase()

export interface LoadedSettings {
  values: Settings
  sources: Record<SettingKey, SettingSource>
}

/** flag > GDMARKET_* environment variable > config.json > default. */
export function loadSettings(
  configFile: string,
  flags: SettingFlags = {},
  env: NodeJS.ProcessEnv = process.env,
): LoadedSettings {
  return settingsOf(readConfigObject(configFile), configFile, flags, env)
}

/** The settings a config.json's object gives, with flags and environment over it; refuses what a daemon would. */
export function settingsOf(
  file: Record<string, unknown>,
  configFile: string,
  flags: SettingFlags = {},
  env: NodeJS.ProcessEnv = process.env,
): LoadedSettings {
  const unknown = Object.keys(file).filter((k) => !Object.hasOwn(settingsTable, k))
  if (unknown.length > 0) throw badInput(`unknown setting "${unknown[0]}" in ${configFile}; known: ${settingKeys.join(', ')}`)
  const values = {} as Settings
  const sources = {} as Record<SettingKey, SettingSource>
  for (const key of settingKeys) {
    const candidates: [SettingSource, unknown, string][] = [
      ['flag', flags[key], `--${key}`],
      ['env', env[envName(key)], envName(key)],
      ['file', file[key], `${key} in ${configFile}`],
    ]
    const found = candidates.find(([, v]) => v !== undefined && v !== '')
    if (!found) {
      ;(values as Record<SettingKey, unknown>)[key] = settingsTable[key].default
      sources[key] = 'default'
      continue
    }
    const [source, given, where] = found
    // the environment holds text: only plain digits count as a number there
    const raw = source !== 'env' ? given : !isTextSetting(key) && /^\d+$/.test(String(given).trim()) ? Number(given) : String(given).trim()
    const problem = settingProblem(key, raw)
    if (problem) throw badInput(`invalid setting ${where}: ${JSON.stringify(raw)} ${problem}; fix or remove it`)
    ;(values as Record<SettingKey, unknown>)[key] = raw
    sources[key] = source
  }
  return {values, sources}
}

/**
 * The one reader of config.json: its object as written, unknown keys too (so `config unset` can
 * remove them); {} when there is no file. A file that is not a JSON object is named, never touched.
 */
export function readConfigObject(configFile: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(configFile, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {}
    throw badInput(`cannot read ${configFile}: ${(error as Error).message}`)
  }
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw badInput(`${configFile} is not valid JSON (${(error as Error).message}); fix it or remove it — it is left as it is`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badInput(`${configFile} must hold a JSON object of settings; fix it or remove it — it is left as it is`)
  }
  return parsed as Record<string, unknown>
}
