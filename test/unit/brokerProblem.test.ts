import {describe, expect, it} from 'vitest'

import {brokerProblem} from '../../src/stack/brokerClient.js'

/** An error as Node's TLS or net layer hands it to mqtt.js: a message and a code. */
const failure = (code: string, message: string) => Object.assign(new Error(message), {code})
const flag = '--broker-ca-file'

describe('why an external broker cannot be used, on one line with the fix', () => {
  it('a certificate no given CA signed names the CA file it was checked against and the flag that gives another', () => {
    const line = brokerProblem({url: 'mqtts://broker:8883', caFile: '/etc/ca.pem'}, failure('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'), flag)
    expect(line).toBe(
      "cannot use the broker at mqtts://broker:8883: its certificate is not signed by the CA in /etc/ca.pem (unable to verify the first certificate); give --broker-ca-file the CA (PEM) that signed the broker's certificate (docs/deploy.md#tls-mqtts)",
    )
  })

  it('without a CA file, the system\'s CAs are what it was checked against', () => {
    expect(brokerProblem({url: 'mqtts://broker:8883'}, failure('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), flag)).toContain('not signed by any CA this system trusts')
  })

  it('a certificate for another name, or out of date, says so instead', () => {
    expect(brokerProblem({url: 'mqtts://broker:8883'}, failure('ERR_TLS_CERT_ALTNAME_INVALID', "Hostname/IP does not match certificate's altnames"), flag)).toContain('its certificate is not for broker')
    expect(brokerProblem({url: 'mqtts://broker:8883'}, failure('CERT_HAS_EXPIRED', 'certificate has expired'), flag)).toContain('renew the broker\'s certificate')
  })

  it('plain mqtt:// reset at once points to mqtts://; anything else asks whether it runs on this stack\'s files', () => {
    expect(brokerProblem({url: 'mqtt://broker:8883'}, failure('ECONNRESET', 'read ECONNRESET'), flag)).toContain('as a TLS listener does to plain MQTT; if it has TLS, use mqtts:// and --broker-ca-file')
    expect(brokerProblem({url: 'mqtt://broker:1883'}, failure('ECONNREFUSED', 'connect ECONNREFUSED'), flag)).toBe(
      "cannot use the broker at mqtt://broker:1883: connect ECONNREFUSED; is it running, on the files that broker config wrote for this stack's passwords? (docs/deploy.md)",
    )
  })

  it("mqtts:// to a listener that does not speak TLS says so on one line, with OpenSSL's reason and not its source files", () => {
    const openssl = 'write EPROTO 80BCC110497F0000:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../deps/openssl/openssl/ssl/record/ssl3_record.c:350:\n'
    expect(brokerProblem({url: 'mqtts://broker:1883'}, failure('EPROTO', openssl), flag)).toBe(
      'cannot use the broker at mqtts://broker:1883: it does not answer in TLS there (wrong version number); if it is a plain MQTT listener, use mqtt://, else check the port (docs/deploy.md#tls-mqtts)',
    )
  })
})
