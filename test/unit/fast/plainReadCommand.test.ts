import {describe, expect, it} from 'vitest'

import {plainReadCommand} from '../../../src/fast/fastPath.js'

const plain = (...argv: string[]) => plainReadCommand(argv, {})

describe('which commands the fast path takes', () => {
  it('takes the read commands in their plain form, flags after the words of the command', () => {
    expect(plain('item', 'show', '3')).toEqual({name: 'item show', arg: 3, json: false, dataDir: undefined})
    expect(plain('view', '--json', '--data-dir', '/d')).toEqual({name: 'view', arg: 0, json: true, dataDir: '/d'})
    expect(plain('reservation', 'show', '12', '--data-dir=/d')).toMatchObject({name: 'reservation show', arg: 12, dataDir: '/d'})
    for (const name of ['item list', 'reservation list', 'payment list']) expect(plain(...name.split(' '))).toMatchObject({name})
  })

  it('leaves everything else to oclif: writes, help, other flags, flags first or twice, arguments to check', () => {
    const others = [
      [],
      ['item', 'register', '--name', 'X', '--price', '1'],
      ['reserve', '1', '--customer', 'Kim'],
      ['status'],
      ['item', 'show'],
      ['item', 'show', 'abc'],
      ['item', 'show', '0'],
      ['item', 'show', '03'],
      ['item', 'show', '-1'],
      ['item', 'show', '1', '2'],
      ['item', 'list', '7'],
      ['item', 'show', '1', '--help'],
      ['view', '-h'],
      ['view', '--bogus'],
      ['view', '--data-dir='],
      ['item', 'show', '99999999999999999999'],
      ['--json', 'item', 'show', '3'],
      ['item', 'show', '3', '--data-dir', '/a', '--data-dir', '/b'],
    ]
    for (const argv of others) expect(plain(...argv), argv.join(' ')).toBeUndefined()
  })

  it('steps aside when told to, or when JSON is asked for through the environment', () => {
    expect(plainReadCommand(['view'], {GDMARKET_NO_FAST_PATH: '1'})).toBeUndefined()
    expect(plainReadCommand(['view'], {GDMARKET_CONTENT_TYPE: 'json'})).toBeUndefined()
  })
})
