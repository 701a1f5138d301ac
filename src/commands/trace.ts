import {GdCommand} from '../cli/base.js'
import {numberArg, tableFlags} from '../cli/flags.js'
import {eventsPath, type EventsAnswer} from '../cli/eventStream.js'
import {withSinceFirst, type TracedEvent} from '../events/order.js'
import {traceTable} from '../cli/eventText.js'
import {cellText} from '../cli/render.js'

export default class Trace extends GdCommand<typeof Trace> {
  static override description = `Every event of one rental across the services, in order, with the time since the first
A rental is one correlationId, from its reservation to its return: the saga (payment, lending, return) and any compensation (refunds, cancellation after a forced delete), each with what caused it. A service that is down is left out with a note.
--json: the event envelopes, each with sinceFirstMs.`
  static override examples = ['<%= config.bin %> trace 1', '<%= config.bin %> trace 1 --json']
  static override args = {reservationNo: numberArg('RESNO', 'reservation number')}
  static override flags = {...tableFlags}

  async run(): Promise<TracedEvent[]> {
    const reservation = await this.market.reservation.show({reservationNo: this.args.reservationNo})
    const answer = await this.call<EventsAnswer>('GET', eventsPath({correlationId: reservation.correlationId}))
    for (const {message} of answer.leftOut) this.note(`gdmarket: ${message}`)
    const traced = withSinceFirst(answer._embedded.events)
    return this.show(traced, (t, layout) => {
      const span = t.length > 0 ? `, ${t.at(-1)!.sinceFirstMs} ms from first to last` : ''
      const {reservationNo, itemNo, itemName, customerName, correlationId} = reservation
      return [
        `reservation ${reservationNo} (item ${itemNo} "${cellText(itemName)}", ${cellText(customerName)}) · ${t.length} events${span}`,
        `rental ${correlationId}`,
        traceTable(t, layout),
      ].join('\n')
    })
  }
}
