import {afterAll, expect, it} from 'vitest'

import {startStack, testBrokers, type Stack} from './stack.js'

let stack: Stack | undefined
afterAll(async () => {
  await stack?.stop()
})

// on Mosquitto the handover rests on its persistent sessions (MQTT 5, an expiry that never comes)
it.each(testBrokers('restart under load on Mosquitto'))('service restart of every service while load runs costs no failed transaction (zero-downtime handover), on the %s broker', async (broker) => {
  await stack?.stop()
  stack = await startStack({broker})
  const before = await stack.json(['status'])
  const pidOf = (status: any, name: string) => status.processes.find((p: {name: string}) => p.name === name).pid

  // the load runs in its own process while this test restarts one service after another
  const load = stack.cli('load', '--duration', '12s', '--concurrent', '4', '--json')
  const restarted: string[] = []
  for (const name of ['item', 'reservation', 'payment', 'view']) {
    const processes = await stack.json(['service', 'restart', name])
    expect(processes.find((p: {name: string}) => p.name === name)).toMatchObject({state: 'online'})
    restarted.push(name)
  }
  const result = await load
  expect(result.code, result.stderr).toBe(0)
  const report = result.json
  console.log(
    `restart under load (${broker}): ${report.transactions} transactions, ${report.failed} failed, ${report.availability} % available, ${report.cycles} cycles, restarted ${restarted.join(', ')}`,
  )
  expect(report.transactions).toBeGreaterThan(0)
  expect(report.failures, JSON.stringify(report.failures)).toEqual([])
  expect(report.failed).toBe(0)
  expect(report.availability).toBe(100)

  const after = await stack.json(['status'])
  for (const name of restarted) expect(pidOf(after, name)).not.toBe(pidOf(before, name))
})
