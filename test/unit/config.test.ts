import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {envName, loadSettings, settingKeys} from '../../src/config.js'
import {withDataDirHints} from '../../src/paths.js'
import {expectRejection} from './given.js'

// the environment is passed in, never read from process.env, so tests cannot leak into each other
const noEnv = {}

let dir: string
let configFile: string
const writeConfig = (settings: unknown) => writeFileSync(configFile, typeof settings === 'string' ? settings : JSON.stringify(settings))

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdmarket-config-'))
  configFile = join(dir, 'config.json')
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

describe('settings', () => {
  describe('envName', () => {
    it('turns a camelCase key into GDMARKET_SNAKE_CASE', () => {
      expect(envName('paymentDelayMs')).toBe('GDMARKET_PAYMENT_DELAY_MS')
      expect(envName('paymentTimeoutMs')).toBe('GDMARKET_PAYMENT_TIMEOUT_MS')
      expect(envName('port')).toBe('GDMARKET_PORT')
    })
  })

  describe('when nothing is set', () => {
    it('uses the documented defaults (no config.json needed)', () => {
      const {values, sources} = loadSettings(configFile, {}, noEnv)
      expect(values).toEqual({
        home: '',
        timeZone: '',
        port: 0,
        httpPort: 8080,
        httpAuth: 1,
        httpHost: '127.0.0.1',
        paymentTimeoutMs: 610,
        paymentDelayMs: 0,
        paymentLimit: 1_000_000,
        requestTimeoutMs: 5000,
        readyTimeoutMs: 15_000,
        stopTimeoutMs: 5000,
        breakerVolumeThreshold: 5,
        breakerErrorThresholdPercentage: 50,
        breakerResetTimeoutMs: 10_000,
        breakerRollingCountTimeoutMs: 10_000,
        brokerUrl: '',
        brokerCaFile: '',
        itemStore: 'json',
        reservationStore: 'json',
        paymentStore: 'sqlite',
        viewStore: 'json',
      })
      expect(Object.values(sources)).toEqual(settingKeys.map(() => 'default'))
    })
  })

  describe('brokerUrl: an external broker', () => {
    it('takes mqtt:// and mqtts:// addresses, from the environment as text', () => {
      writeConfig({brokerUrl: 'mqtt://broker.lan:1883'})
      expect(loadSettings(configFile, {}, noEnv).values.brokerUrl).toBe('mqtt://broker.lan:1883')
      expect(loadSettings(configFile, {}, {GDMARKET_BROKER_URL: 'mqtts://10.0.0.2:8883'}).values.brokerUrl).toBe('mqtts://10.0.0.2:8883')
    })

    it('refuses another scheme, a path, and credentials in the URL (they come from broker-credentials.json)', () => {
      for (const [url, problem] of [
        ['http://broker:1883', 'must start with mqtt:// or mqtts://'],
        ['mqtt://broker:1883/x', 'must be only mqtt[s]://HOST[:PORT]'],
        ['mqtt://item:secret@broker:1883', 'must not hold a user name or password'],
        ['broker:1883', 'must start with mqtt:// or mqtts://'],
      ]) {
        expect(() => loadSettings(configFile, {brokerUrl: url}, noEnv), url).toThrow(problem)
      }
    })
  })

  describe('precedence: flag > env > config.json > default', () => {
    beforeEach(() => writeConfig({paymentTimeoutMs: 900, paymentLimit: 300, port: 1884}))

    it('takes config.json over the default', () => {
      const {values, sources} = loadSettings(configFile, {}, noEnv)
      expect(values).toMatchObject({paymentTimeoutMs: 900, paymentLimit: 300, port: 1884, paymentDelayMs: 0})
      expect(sources).toMatchObject({paymentTimeoutMs: 'file', paymentLimit: 'file', port: 'file', paymentDelayMs: 'default'})
    })

    it('takes a GDMARKET_* variable over config.json, as a number', () => {
      const {values, sources} = loadSettings(configFile, {}, {GDMARKET_PAYMENT_TIMEOUT_MS: '1200', GDMARKET_PAYMENT_DELAY_MS: '50'})
      expect(values).toMatchObject({paymentTimeoutMs: 1200, paymentDelayMs: 50, paymentLimit: 300})
      expect(sources).toMatchObject({paymentTimeoutMs: 'env', paymentDelayMs: 'env', paymentLimit: 'file'})
    })

    it('takes a flag over the environment and config.json', () => {
      const {values, sources} = loadSettings(configFile, {port: 2000}, {GDMARKET_PORT: '1999'})
      expect(values.port).toBe(2000)
      expect(sources.port).toBe('flag')
    })

    it('skips an undefined flag and an empty variable', () => {
      const {values, sources} = loadSettings(configFile, {port: undefined}, {GDMARKET_PORT: ''})
      expect(values.port).toBe(1884)
      expect(sources.port).toBe('file')
    })

    it('accepts port 0 (any free port) and a zero payment delay', () => {
      const {values} = loadSettings(configFile, {port: 0, paymentDelayMs: 0}, noEnv)
      expect(values).toMatchObject({port: 0, paymentDelayMs: 0})
    })
  })

  describe('store kinds: a word, not a number', () => {
    it('takes json or sqlite for a service, from config.json or the environment', () => {
      writeConfig({itemStore: 'sqlite'})
      const {values, sources} = loadSettings(configFile, {}, {GDMARKET_PAYMENT_STORE: ' json '})
      expect(values).toMatchObject({itemStore: 'sqlite', paymentStore: 'json', reservationStore: 'json'})
      expect(sources).toMatchObject({itemStore: 'file', paymentStore: 'env', viewStore: 'default'})
    })

    it.each([[{paymentStore: 'postgres'}], [{paymentStore: 1}], [{viewStore: 'SQLite'}]])('refuses %j, naming the choices', (settings) => {
      writeConfig(settings)
      expectRejection(() => loadSettings(configFile, {}, noEnv), {code: 'BAD_INPUT', exit: 2, message: 'must be one of json, sqlite'})
    })
  })

  describe('when a value is invalid (exit 2)', () => {
    it('names the environment variable that is not a number', () => {
      expectRejection(() => loadSettings(configFile, {}, {GDMARKET_PAYMENT_TIMEOUT_MS: 'soon'}), {
        code: 'BAD_INPUT',
        exit: 2,
        message: /invalid setting GDMARKET_PAYMENT_TIMEOUT_MS: "soon"/,
      })
    })

    it.each([[{port: true}], [{port: null}], [{paymentLimit: [5]}], [{paymentLimit: '5'}]])(
      'refuses %j in config.json: a setting is a number, nothing else',
      (settings) => {
        writeConfig(settings)
        expectRejection(() => loadSettings(configFile, {}, noEnv), {code: 'BAD_INPUT', exit: 2, message: 'invalid setting'})
      },
    )

    it('refuses an environment variable of blanks or a fraction', () => {
      for (const value of [' ', '1.5', '0x10']) {
        expectRejection(() => loadSettings(configFile, {}, {GDMARKET_PORT: value}), {code: 'BAD_INPUT', exit: 2})
      }
    })

    it('does not take an inherited name such as toString for a setting', () => {
      writeConfig({toString: 5})
      expectRejection(() => loadSettings(configFile, {}, noEnv), {code: 'BAD_INPUT', exit: 2, message: 'unknown setting "toString"'})
    })

    it('names the flag below its minimum', () => {
      expectRejection(() => loadSettings(configFile, {paymentLimit: 0}, noEnv), {
        code: 'BAD_INPUT',
        exit: 2,
        message: 'invalid setting --paymentLimit: 0',
      })
    })

    it('names the key and file of an out-of-range value', () => {
      writeConfig({port: 70_000})
      expectRejection(() => loadSettings(configFile, {}, noEnv), {
        code: 'BAD_INPUT',
        exit: 2,
        message: `invalid setting port in ${configFile}: 70000`,
      })
    })

    it('refuses a fractional timeout and a zero timeout', () => {
      expectRejection(() => loadSettings(configFile, {paymentTimeoutMs: 1.5}, noEnv), {code: 'BAD_INPUT', exit: 2})
      expectRejection(() => loadSettings(configFile, {}, {GDMARKET_REQUEST_TIMEOUT_MS: '0'}), {code: 'BAD_INPUT', exit: 2})
    })

    it('refuses a negative payment delay', () => {
      expectRejection(() => loadSettings(configFile, {}, {GDMARKET_PAYMENT_DELAY_MS: '-5'}), {
        code: 'BAD_INPUT',
        exit: 2,
        message: 'GDMARKET_PAYMENT_DELAY_MS',
      })
    })
  })

  describe('when config.json itself is wrong (exit 2)', () => {
    it('says the file is not valid JSON', () => {
      writeConfig('{"port": 18')
      expectRejection(() => loadSettings(configFile, {}, noEnv), {
        code: 'BAD_INPUT',
        exit: 2,
        message: `${configFile} is not valid JSON`,
      })
    })

    it('wants a JSON object, not an array', () => {
      writeConfig([1, 2])
      expectRejection(() => loadSettings(configFile, {}, noEnv), {code: 'BAD_INPUT', exit: 2, message: 'must hold a JSON object'})
    })

    it('names an unknown setting and lists the known ones', () => {
      writeConfig({paymentLimt: 10})
      expectRejection(() => loadSettings(configFile, {}, noEnv), {
        code: 'BAD_INPUT',
        exit: 2,
        message: /unknown setting "paymentLimt" in .*known: port, httpPort, httpAuth, paymentTimeoutMs/,
      })
    })

    it('says it cannot read a config path that is a directory', () => {
      mkdirSync(configFile)
      expectRejection(() => loadSettings(configFile, {}, noEnv), {code: 'BAD_INPUT', exit: 2, message: `cannot read ${configFile}`})
    })
  })
})

describe('hints for a data dir of its own', () => {
  it('adds --data-dir to every command a message names, unless it is the default or a help pointer', () => {
    const env = {GDMARKET_DATA_DIR: '/srv/market'}
    const message = 'item 1 has no reservation; reserve it with `gdmarket reserve 1 --customer NAME` (see `gdmarket lend --help`)'
    expect(withDataDirHints(message, '/tmp/x', env)).toBe(
      'item 1 has no reservation; reserve it with `gdmarket reserve 1 --customer NAME --data-dir /tmp/x` (see `gdmarket lend --help`)',
    )
    expect(withDataDirHints(message, '/srv/market', env)).toBe(message)
    expect(withDataDirHints('`gdmarket up --data-dir /tmp/x`', '/tmp/x', env)).toBe('`gdmarket up --data-dir /tmp/x`')
    expect(withDataDirHints('`gdmarket view`', "/tmp/my market's", env)).toBe("`gdmarket view --data-dir '/tmp/my market'\\''s'`")
  })

  it('leaves a command that reads no data dir as it is', () => {
    const env = {GDMARKET_DATA_DIR: '/srv/market'}
    expect(withDataDirHints('stacks run in /a and /b (`gdmarket stacks` lists them)', '/tmp/x', env)).toBe('stacks run in /a and /b (`gdmarket stacks` lists them)')
  })
})
