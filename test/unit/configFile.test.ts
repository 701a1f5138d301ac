import {existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {checkKey, nearestKey, parseSettingValue, restartNote, writeConfigObject} from '../../src/cli/configFile.js'
import {readConfigObject, settingKeys} from '../../src/config.js'
import {GdError} from '../../src/errors.js'

let dir: string
let file: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gdmarket-configfile-'))
  file = join(dir, 'config.json')
})
afterEach(() => rmSync(dir, {recursive: true, force: true}))

const badInput = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(GdError)
    expect((error as GdError).exit).toBe(2)
    return (error as GdError).message
  }
  throw new Error('expected a refusal')
}

describe('editing config.json', () => {
  it('knows the keys of src/config.ts; a mistyped one gets the key meant, only a strange one the whole list', () => {
    expect(checkKey('paymentLimit')).toBe('paymentLimit')
    expect(badInput(() => checkKey('paymentlimit'))).toBe('unknown setting "paymentlimit"; did you mean "paymentLimit"? (see `gdmarket config list`)')
    expect(badInput(() => checkKey('colour'))).toMatch(/^unknown setting "colour"; known: port, httpPort, httpAuth, paymentTimeoutMs/)
  })

  it.each([
    ['paymentlimit', 'paymentLimit'],
    ['payment-limit', 'paymentLimit'],
    ['GDMARKET_PAYMENT_DELAY_MS', 'paymentDelayMs'],
    ['paymentLimt', 'paymentLimit'],
    ['httport', 'httpPort'],
    ['breakerResetTimeout', 'breakerResetTimeoutMs'],
  ])('%s means %s', (typed, key) => {
    expect(nearestKey(typed)).toBe(key)
  })

  it('no key is meant by a different word', () => {
    expect(nearestKey('colour')).toBeUndefined()
    expect(nearestKey('timeout')).toBeUndefined()
  })

  it("the restart note names the one that reads the key: a service, or the stack's supervisor", () => {
    expect(restartNote('paymentLimit')).toBe(
      'note: the running stack read its settings when it started; for paymentLimit to apply, restart the payment service: `gdmarket service restart payment`',
    )
    expect(restartNote('breakerResetTimeoutMs')).toContain('`gdmarket service restart reservation`')
    expect(restartNote('paymentTimeoutMs')).toContain('`gdmarket service restart reservation`')
    expect(restartNote('httpPort')).toContain('restart the stack: `gdmarket down` and `gdmarket up`')
    for (const key of settingKeys) expect(restartNote(key)).not.toContain('NAME')
  })

  it('takes whole numbers within the setting’s own rules', () => {
    expect(parseSettingValue('paymentLimit', '500')).toBe(500)
    expect(parseSettingValue('port', '0')).toBe(0)
    expect(badInput(() => parseSettingValue('paymentLimit', 'lots'))).toBe('invalid value "lots" for paymentLimit: it must be a whole number of at least 1; config.json is unchanged')
    expect(badInput(() => parseSettingValue('paymentLimit', '1.5'))).toMatch(/must be a whole number of at least 1/)
    expect(badInput(() => parseSettingValue('paymentLimit', '0'))).toMatch(/^invalid value "0" for paymentLimit: it must be a whole number of at least 1;/)
    expect(badInput(() => parseSettingValue('port', '70000'))).toMatch(/^invalid value "70000" for port: it must be a whole number from 0 to 65535;/)
  })

  it('reads a missing file as no settings, and refuses one that is not a JSON object', () => {
    expect(readConfigObject(file)).toEqual({})
    writeFileSync(file, '{"paymentLimit": 5')
    expect(badInput(() => readConfigObject(file))).toMatch(/is not valid JSON/)
    writeFileSync(file, '[1]')
    expect(badInput(() => readConfigObject(file))).toMatch(/must hold a JSON object/)
  })

  it('writes the whole file in one step and leaves no temporary file behind', () => {
    writeConfigObject(file, {paymentLimit: 500})
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({paymentLimit: 500})
    expect(readdirSync(dir)).toEqual(['config.json'])
  })

  it('creates the data directory when it is not there yet', () => {
    const nested = join(dir, 'new', 'config.json')
    writeConfigObject(nested, {port: 1883})
    expect(existsSync(nested)).toBe(true)
  })

  it('refuses a file the daemons would refuse, leaving the old one byte for byte', () => {
    writeFileSync(file, '{ "paymentLimit": 500 }')
    const message = badInput(() => writeConfigObject(file, {paymentLimit: 500, bogus: 1}))
    // named after the real file, not the temporary one it was checked in
    expect(message.startsWith(`unknown setting "bogus" in ${file}; known: port, `)).toBe(true)
    expect(message).toMatch(/; config\.json is unchanged$/)
    expect(readFileSync(file, 'utf8')).toBe('{ "paymentLimit": 500 }')
    expect(readdirSync(dir)).toEqual(['config.json'])
  })
})
