import {describe, expect, it} from 'vitest'

import {correlationIdOf, requestIdOf, traceOf, traceparent} from '../../../src/stack/gateway/trace.js'

const given = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'
const uuidV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('W3C traceparent at the gateway', () => {
  it("keeps a valid traceparent's trace-id and flags, opens a span of its own, and writes the trace-id as the correlation id", () => {
    const trace = traceOf(given)
    expect(trace).toMatchObject({traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: '01'})
    expect(trace.spanId).toMatch(/^[0-9a-f]{16}$/)
    expect(trace.spanId).not.toBe('00f067aa0ba902b7')
    expect(traceparent(trace)).toBe(`00-4bf92f3577b34da6a3ce929d0e0e4736-${trace.spanId}-01`)
    expect(correlationIdOf(trace)).toBe('4bf92f35-77b3-4da6-a3ce-929d0e0e4736')
  })

  it('starts a new trace whose correlation id is a UUIDv7, as before traces, for a missing or invalid header', () => {
    const invalid = [
      undefined,
      '',
      'garbage',
      '00-00000000000000000000000000000000-00f067aa0ba902b7-01', // all-zero trace-id
      '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01', // all-zero parent-id
      'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', // version ff is forbidden
      '00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01', // upper case
      `${given}-extra`, // version 00 has four fields exactly
      ['a', 'b'],
    ]
    for (const header of invalid) {
      const trace = traceOf(header)
      expect(trace.traceId, String(header)).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736')
      expect(correlationIdOf(trace)).toMatch(uuidV7)
      expect(trace.flags).toBe('01')
    }
  })

  it('takes a later version with more fields, as the spec asks', () => {
    expect(traceOf('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00-what-comes-next')).toMatchObject({traceId: '4bf92f3577b34da6a3ce929d0e0e4736', flags: '00'})
  })

  it("gives the first request made for a trace the gateway's span-id, any further one a span-id of its own", () => {
    const trace = traceOf(given)
    const ids = [requestIdOf(trace), requestIdOf(trace), requestIdOf(trace)]
    expect(ids[0]).toBe(trace.spanId)
    expect(new Set(ids).size).toBe(3)
  })
})
