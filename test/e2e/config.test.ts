import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {runCli} from './stack.js'

// config works on the data directory alone: no stack is started in this file
let dataDir: string
let configFile: string
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'gdmarket-config-e2e-'))
  configFile = path.join(dataDir, 'config.json')
})
afterEach(() => rmSync(dataDir, {recursive: true, force: true}))

const config = (args: string[], env: Record<string, string> = {}) => runCli(['config', ...args], {dataDir, env})
const row = (list: any[], key: string) => list.find((r) => r.key === key)

describe('config get|set|unset|list', () => {
  it('set writes config.json, get and list read it back as coming from the file, unset removes it', async () => {
    const set = await config(['set', 'paymentLimit', '500', '--json'])
    expect(set.code, set.stderr).toBe(0)
    expect(set.json).toEqual({key: 'paymentLimit', value: 500, source: 'file', file: configFile})
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({paymentLimit: 500})

    expect((await config(['get', 'paymentLimit'])).stdout).toBe('500\n')
    expect((await config(['get', 'paymentLimit', '--json'])).json).toEqual({key: 'paymentLimit', value: 500, source: 'file', env: 'GDMARKET_PAYMENT_LIMIT'})

    const list = (await config(['list', '--json'])).json
    expect(row(list, 'paymentLimit')).toEqual({key: 'paymentLimit', value: 500, source: 'file', default: 1_000_000, env: 'GDMARKET_PAYMENT_LIMIT'})
    expect(row(list, 'paymentTimeoutMs')).toMatchObject({value: 610, source: 'default'})

    const unset = await config(['unset', 'paymentLimit', '--json'])
    expect(unset.json).toEqual({key: 'paymentLimit', removed: true, value: 1_000_000, source: 'default'})
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({})
    const again = await config(['unset', 'paymentLimit'])
    expect(again.code).toBe(0)
    expect(again.stderr).toContain('paymentLimit is not set in')
  })

  it('list shows where each value comes from: env over file over default', async () => {
    await config(['set', 'paymentDelayMs', '800'])
    await config(['set', 'paymentLimit', '500'])
    const result = await config(['list', '--wide'], {GDMARKET_PAYMENT_LIMIT: '70'})
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`config file: ${configFile}`)
    expect(result.stdout).toMatch(/│ paymentLimit +│ 70 +│ env +│ 1000000 +│ GDMARKET_PAYMENT_LIMIT +│/)
    expect(result.stdout).toMatch(/│ paymentDelayMs +│ 800 +│ file +│ 0 +│/)
    expect(result.stdout).toMatch(/│ port +│ 0 +│ default +│/)
    const set = await config(['set', 'paymentLimit', '600'], {GDMARKET_PAYMENT_LIMIT: '70'})
    expect(set.stderr).toContain('GDMARKET_PAYMENT_LIMIT is set in this environment and wins over config.json')
  })

  it('refuses an invalid value with exit 2 and leaves the file byte for byte', async () => {
    writeFileSync(configFile, '{ "paymentLimit": 500 }')
    for (const [key, value, why] of [
      ['paymentLimit', 'lots', 'must be a whole number of at least 1'],
      ['paymentLimit', '-5', 'must be a whole number of at least 1'],
      ['port', '70000', 'must be a whole number from 0 to 65535'],
    ]) {
      const result = await config(['set', key, value, '--json'])
      expect(result.code, `${key} ${value}`).toBe(2)
      expect(result.stderr).toContain(`gdmarket: invalid value "${value}" for ${key}: `)
      expect(result.stderr).toContain(why)
      expect(result.json).toEqual({error: {code: 'BAD_INPUT', message: expect.stringContaining('config.json is unchanged')}})
      expect(readFileSync(configFile, 'utf8')).toBe('{ "paymentLimit": 500 }')
    }
  })

  it('refuses an unknown key (exit 2): a mistyped one with the key meant, a strange one listing the known ones', async () => {
    const set = await config(['set', 'paymentlimit', '5'])
    expect(set.code).toBe(2)
    expect(set.stderr.trim()).toBe(`gdmarket: unknown setting "paymentlimit"; did you mean "paymentLimit"? (see \`gdmarket config list --data-dir ${dataDir}\`)`)
    expect(existsSync(configFile)).toBe(false)
    const get = await config(['get', 'paymentlimit'])
    expect(get.code).toBe(2)
    expect(get.stderr).toContain('did you mean "paymentLimit"?')
    const nope = await config(['set', 'colour', '5'])
    expect(nope.code).toBe(2)
    expect(nope.stderr).toContain('unknown setting "colour"; known: port, httpPort, httpAuth, paymentTimeoutMs')
  })

  it('does not touch a config.json that is not JSON; list names the problem', async () => {
    writeFileSync(configFile, '{"paymentLimit": 5,')
    const set = await config(['set', 'paymentLimit', '6'])
    expect(set.code).toBe(2)
    expect(set.stderr).toContain('is not valid JSON')
    expect(readFileSync(configFile, 'utf8')).toBe('{"paymentLimit": 5,')
    expect((await config(['list'])).code).toBe(2)
  })

  it('unset removes an unknown key someone wrote into the file, which makes it valid again', async () => {
    writeFileSync(configFile, JSON.stringify({paymentLimit: 5, paymentLimt: 6}))
    expect((await config(['list'])).code).toBe(2)
    expect((await config(['set', 'paymentDelayMs', '1'])).code).toBe(2) // a file the daemons would refuse is never written
    const unset = await config(['unset', 'paymentLimt'])
    expect(unset.code, unset.stderr).toBe(0)
    expect(unset.stdout.trim()).toBe('paymentLimt removed from config.json; it is no setting of gdmarket, so nothing else changes')
    expect(unset.stderr).not.toMatch(/restart/)
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({paymentLimit: 5})
    expect((await config(['list'])).code).toBe(0)
  })
})
