import {Args} from '@oclif/core'

import {services} from '../bus/topics.js'
import {GdCommand} from '../cli/base.js'
import {gatherHistory} from '../cli/eventHistory.js'
import {withSinceFirst, type TracedEvent} from '../cli/eventOrder.js'
import {traceTable} from '../cli/eventText.js'
import type {PublicReservation} from '../services/reservation/reservation.js'

export default class Trace extends GdCommand<typeof Trace> {
  static override description = `Every event of one rental across the services, in order, with the time since the first
A rental is one correlationId, from its reservation to its return: the saga (payment, lending, return) and any compensation (refunds, cancellation after a forced delete), each with what caused it. A service that is down is left out with a note.
--json: the event envelopes, each with sinceFirstMs.`
  static override examples = ['<%= config.bin %> trace 1', '<%= config.bin %> trace 1 --json']
  static override args = {reservationNo: Args.integer({description: 'reservation number', required: true, min: 1})}

  async run(): Promise<TracedEvent[]> {
    const reservation = await this.request<PublicReservation>('reservation', 'show', {reservationNo: this.args.reservationNo})
    const events = await gatherHistory(
      (target, command, body) => this.request(target, command, body),
      services,
      {correlationId: reservation.correlationId},
      (message) => this.note(message),
    )
    const traced = withSinceFirst(events)
    return this.show(traced, (t) => {
      const span = t.length > 0 ? `, ${t.at(-1)!.sinceFirstMs} ms from first to last` : ''
      return `reservation ${reservation.reservationNo} (item ${reservation.itemNo} "${reservation.itemName}", ${reservation.customerName}) · rental ${reservation.correlationId} · ${t.length} events${span}\n${traceTable(t)}`
    })
  }
}
