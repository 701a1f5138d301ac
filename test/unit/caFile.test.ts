import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'

import {caFileProblem} from '../../src/bus/caFile.js'

const dir = mkdtempSync(join(tmpdir(), 'gdmarket-ca-'))
afterAll(() => rmSync(dir, {recursive: true, force: true}))

describe("an mqtts:// broker's CA file, checked before anything starts", () => {
  it('given a file of PEM certificates, finds nothing wrong', () => {
    const file = join(dir, 'ca.pem')
    writeFileSync(file, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n')
    expect(caFileProblem(file)).toBeUndefined()
  })

  it('given a device that never ends or a directory, says it is no file (and never reads it)', () => {
    expect(caFileProblem('/dev/zero')).toBe('is not a file (a device, a pipe or a socket)')
    expect(caFileProblem(dir)).toBe('is not a file (a directory)')
  })

  it('given a file without a certificate, or one far too big, or none, says which', () => {
    const passwd = join(dir, 'passwd')
    writeFileSync(passwd, 'root:x:0:0:root:/root:/bin/bash\n')
    expect(caFileProblem(passwd)).toBe('holds no PEM certificate (-----BEGIN CERTIFICATE-----)')
    const big = join(dir, 'big.pem')
    writeFileSync(big, Buffer.alloc(2 * 1024 * 1024))
    expect(caFileProblem(big)).toMatch(/^is 2097152 bytes, more than a CA file's 1048576$/)
    expect(caFileProblem(join(dir, 'nothing.pem'))).toBe('does not exist')
  })
})
