import {describe, expect, it} from 'vitest'

import {covers} from '../../src/bus/topicGrants.js'
import {aclFile, passwordLine} from '../../src/stack/brokerFiles.js'

describe('Mosquitto\'s files', () => {
  it('hashes a password as mosquitto_passwd 2.0 does ($7$: PBKDF2-SHA512, 101 iterations)', () => {
    // written by `mosquitto_passwd -b pw alice secret` (Mosquitto 2.0.11)
    const line = 'alice:$7$101$EOKLqBazXotfklt2$nIuCsrLnB8l8d221KpLoOpxHMMMJfub5Cr0iY1JXuFalvA4t13wi4Oyw1/smnFZhC6uXypfkAmwuxyNWQVvxNw=='
    expect(passwordLine('alice', 'secret', Buffer.from('EOKLqBazXotfklt2', 'base64'))).toBe(line)
  })

  it('writes the ownership table as the ACL: each role\'s writes and reads, and the replies to its own client id for all', () => {
    const acl = aclFile()
    expect(acl).toContain('user payment\ntopic write gdmarket/events/payment/+\n')
    expect(acl).toMatch(/user reader\n(topic write gdmarket\/requests\/\w+\/history\n)+topic read gdmarket\/events\/#\n/)
    expect(acl).not.toMatch(/user reservation\n(topic .*\n)*topic write gdmarket\/events\/payment/)
    expect(acl.trimEnd().split('\n').at(-1)).toBe('pattern read gdmarket/replies/%c')
  })
})

describe('a grant covers', () => {
  it('a topic or a narrower filter, as Mosquitto matches them', () => {
    expect(covers('gdmarket/events/item/+', 'gdmarket/events/item/ItemRegistered')).toBe(true)
    expect(covers('gdmarket/events/item/+', 'gdmarket/events/item/+')).toBe(true)
    expect(covers('gdmarket/events/item/+', 'gdmarket/events/item/#')).toBe(false)
    expect(covers('gdmarket/events/item/+', 'gdmarket/events/item/a/b')).toBe(false)
    expect(covers('gdmarket/events/#', 'gdmarket/events/+/+')).toBe(true)
    expect(covers('gdmarket/events/#', 'gdmarket/#')).toBe(false)
    expect(covers('gdmarket/status/item', 'gdmarket/status/+')).toBe(false)
  })
})
