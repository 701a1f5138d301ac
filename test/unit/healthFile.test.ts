import {describe, expect, it} from 'vitest'

import {healthProblem, STALE_MS, type HealthFile} from '../../src/runtime/healthFile.js'

const now = Date.parse('2026-12-01T10:00:00Z')
const file = (over: Partial<HealthFile> = {}): HealthFile => ({pid: 7, state: 'online', caughtUp: true, behind: [], at: new Date(now - 500).toISOString(), ...over})
const running = () => true
const gone = () => false

describe('service check: the verdict on a health file', () => {
  it('passes a running service that is online and caught up', () => {
    expect(healthProblem('item', file(), running, false, now)).toBeUndefined()
  })

  it('fails with one line why: not started, gone, stuck, offline, starting, catching up', () => {
    expect(healthProblem('item', undefined, running, false, now)).toBe('the item service is not running with this data dir on this host (no run/item.health.json: not started yet, or stopped)')
    expect(healthProblem('item', file(), gone, false, now)).toBe('the item service is not running (pid 7 is gone)')
    expect(healthProblem('item', file({at: new Date(now - STALE_MS - 2000).toISOString()}), running, false, now)).toBe('the item service (pid 7) has not said it is alive for 12 s: its event loop is stuck')
    expect(healthProblem('item', file({state: 'offline'}), running, false, now)).toBe('the item service is offline: it lost the broker and is reconnecting')
    expect(healthProblem('item', file({state: 'starting'}), running, false, now)).toBe('the item service is starting')
    expect(healthProblem('view', file({caughtUp: false, behind: ['item', 'payment']}), running, false, now)).toBe('the view service is catching up with item and payment')
  })

  it('--alive passes a process that runs and turns, offline or catching up: a lost broker is not cured by a restart', () => {
    expect(healthProblem('item', file({state: 'offline', caughtUp: false, behind: ['reservation']}), running, true, now)).toBeUndefined()
    expect(healthProblem('item', file({at: new Date(now - STALE_MS - 1).toISOString()}), running, true, now)).toMatch(/stuck/)
    expect(healthProblem('item', file(), gone, true, now)).toMatch(/gone/)
  })
})
