import {describe, expect, it} from 'vitest'

import {badInput, Exit, GdError, notFound, refused, unavailable} from '../../src/errors.js'
import {storageProblem} from '../../src/store/storageProblem.js'

describe('errors', () => {
  it('map each kind of failure to the exit code of docs/commands.md', () => {
    expect(Exit).toEqual({ok: 0, badInput: 2, refused: 3, notFound: 4, unavailable: 5})
    expect(badInput('bad').exit).toBe(2)
    expect(refused('NOT_PAID', 'no').exit).toBe(3)
    expect(notFound('ITEM_NOT_FOUND', 'none').exit).toBe(4)
    expect(unavailable('PAYMENT_TIMEOUT', 'later').exit).toBe(5)
  })

  it('carry a stable code, with BAD_INPUT the default for bad input', () => {
    expect(badInput('bad').code).toBe('BAD_INPUT')
    expect(badInput('bad', 'UNKNOWN_COMMAND').code).toBe('UNKNOWN_COMMAND')
    const error = refused('DECLINED', 'payment declined')
    expect(error).toBeInstanceOf(Error)
    expect(error).toBeInstanceOf(GdError)
    expect(error.name).toBe('GdError')
    expect(error.message).toBe('payment declined')
  })

  it('cross the broker as plain JSON and come back equal', () => {
    const wire = JSON.parse(JSON.stringify(notFound('ITEM_NOT_FOUND', 'item 9 does not exist').toWire()))
    expect(wire).toEqual({code: 'ITEM_NOT_FOUND', message: 'item 9 does not exist', exit: 4})
    const back = GdError.fromWire(wire)
    expect(back).toBeInstanceOf(GdError)
    expect({code: back.code, message: back.message, exit: back.exit}).toEqual(wire)
  })
})

describe('storage problems', () => {
  const failure = (code: string) => Object.assign(new Error(`${code}: something, write`), {code})

  it('names the directory, the cause in words and the fix', () => {
    expect(storageProblem(failure('ENOSPC'), '/srv/data', 'reservation')).toMatchObject({
      code: 'STORAGE',
      exit: 5,
      message: 'the reservation service cannot write /srv/data: no space left on device; free some space there, and it comes back on its own',
    })
    expect(storageProblem(failure('EROFS'), '/srv/data', 'item')?.message).toContain('read-only file system; make it writable')
  })

  it('is no storage problem when the disk is not the cause', () => {
    expect(storageProblem(new Error('boom'), '/d', 'item')).toBeUndefined()
    expect(storageProblem(failure('ECONNRESET'), '/d', 'item')).toBeUndefined()
  })
})
