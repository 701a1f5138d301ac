import {afterEach, describe, expect, it} from 'vitest'

import mqtt from 'mqtt'

import {invariantProblems, snapshotOf} from './invariants.js'
import {hasMosquitto} from './mosquitto.js'
import {credentialsOf} from './rawBus.js'
import {eventually, gatewayOf, startStack, type Stack} from './stack.js'

/**
 * The guarantees of a stack on Mosquitto (`up --broker`, docs/deploy.md) that the rental, restart
 * and Mosquitto-walls tests do not already cover: the walls with the stack running, events that
 * wait for a stopped service, and kill -9 of the broker itself.
 */
const present = hasMosquitto('the external broker test')
let stack: Stack | undefined
afterEach(async () => {
  await stack?.stop()
  stack = undefined
})

const processOf = (status: any, name: string) => status.processes.find((p: {name: string}) => p.name === name)

describe.skipIf(!present)('a stack on Mosquitto', () => {
  it('a forged PaymentApproved from reservation, item or a reader is refused (reason code): the reservation stays unpaid and is paid for real', async () => {
    stack = await startStack({broker: 'mosquitto'})
    const {itemNo} = await stack.json(['item', 'register', '--name', 'Camera', '--price', '500'])
    const {reservationNo} = await stack.json(['reserve', String(itemNo), '--customer', 'Young'])
    const forged = {id: '01a2331d-0000-7000-8000-000000000001', type: 'PaymentApproved', source: 'payment', time: new Date().toISOString(), correlationId: 'c', causationId: null, seq: 1, data: {paymentNo: 1, reservationNo, itemNo, amount: 1}}
    const passwords = credentialsOf(stack.dataDir)
    for (const as of ['reservation', 'item', 'reader'] as const) {
      const clientId = as === 'reader' ? 'test-forger' : `gdmarket-${as}-forger`
      const client = await mqtt.connectAsync({host: '127.0.0.1', port: stack.mosquitto!.port, protocolVersion: 5, clientId, username: as, password: passwords[as], reconnectPeriod: 0})
      const outcome = await client.publishAsync('gdmarket/events/payment/PaymentApproved', JSON.stringify(forged), {qos: 1}).then(() => 'acknowledged', (e: Error) => e.message)
      await client.endAsync(true)
      expect(outcome, as).toBe('Publish error: Not authorized')
    }
    expect(await stack.json(['reservation', 'show', String(reservationNo)])).toMatchObject({paymentStatus: 'NotPaid'})
    expect(await stack.json(['pay', String(reservationNo)])).toMatchObject({paymentNo: 1, amount: 500, paymentStatus: 'Paid'})
    const status = await stack.json(['status'])
    expect(status.processes.map((p: {state: string; restarts: number}) => [p.state, p.restarts])).toEqual(status.processes.map(() => ['online', 0]))
  })

  it('events for a stopped service wait for it: the view stopped, items registered, the view started has them all', async () => {
    stack = await startStack({broker: 'mosquitto'})
    await stack.json(['service', 'stop', 'view'])
    const registered = []
    for (let i = 0; i < 5; i++) registered.push((await stack.json(['item', 'register', '--name', `Thing ${i}`, '--price', '10'])).itemNo)
    await stack.json(['service', 'start', 'view'])
    expect((await stack.json(['view'])).map((r: {itemNo: number}) => r.itemNo)).toEqual(registered)
  })

  it('kill -9 of Mosquitto (its sessions and queued events gone): the stack reconnects, catches up from the producers\' stores, and loses nothing acknowledged', async () => {
    stack = await startStack({broker: 'mosquitto'})
    const s = stack
    const {market, close} = gatewayOf(s.dataDir)
    try {
      const rent = async (name: string) => {
        const {itemNo} = await s.json(['item', 'register', '--name', name, '--price', '100'])
        const {reservationNo} = await s.json(['reserve', String(itemNo), '--customer', 'Young'])
        await s.json(['pay', String(reservationNo)])
        return itemNo as number
      }
      const acknowledged = [await rent('Before')]
      // the view stopped: what it has not applied waits only in its session, which the kill takes
      await s.json(['service', 'stop', 'view'])
      acknowledged.push(await rent('Queued'))
      await s.mosquitto!.kill()
      await s.mosquitto!.start()
      // every daemon logs in again and says it is online; a command goes through once they have
      await eventually(async () => acknowledged.push(await rent('After')), {timeoutMs: 30_000, intervalMs: 250})
      await s.json(['service', 'start', 'view'])
      await eventually(
        async () => {
          const snapshot = await snapshotOf(market)
          expect(invariantProblems(snapshot).problems).toEqual([])
          expect(snapshot.view.filter((r: any) => acknowledged.includes(r.itemNo)).map((r: any) => [r.itemNo, r.paymentStatus])).toEqual(acknowledged.map((n) => [n, 'Paid']))
        },
        {timeoutMs: 30_000},
      )
      const status = await s.json(['status'])
      for (const name of ['item', 'reservation', 'payment', 'view']) expect(processOf(status, name).state, name).toBe('online')
    } finally {
      close()
    }
  })
})
