import {Flags} from '@oclif/core'

import type {Envelope} from '../bus/events.js'
import {eventSource, eventTypes, type EventType} from '../bus/eventTypes.js'
import {services, type ServiceName} from '../bus/topics.js'
import {GdCommand} from '../cli/base.js'
import {numberFlag, tableFlags} from '../cli/flags.js'
import {eventsPath, followEvents, type EventsAnswer} from '../cli/eventStream.js'
import {eventLine, eventsTable} from '../cli/eventText.js'
import {interruptible, signalExitCode} from '../cli/interrupt.js'

export default class Events extends GdCommand<typeof Events> {
  static override description = `The event history of the item, reservation and payment services, merged in time order
Each service answers for the events it produced; a service that is down is left out with a note on stderr. With --follow, new events are printed as they come (the gateway's GET /events?follow=true) until Ctrl-C.
With --json the output is NDJSON: one event envelope (id, type, source, time, correlationId, causationId, seq, data) per line, also with --follow — not one JSON document like other commands. An error is one line {"error": …}.`
  static override examples = [
    '<%= config.bin %> events',
    '<%= config.bin %> events --type Reserved --type ReservationCancelled',
    '<%= config.bin %> events --source payment --limit 20',
    '<%= config.bin %> events --correlation 01a211fd-d25c-73d9-9acd-fe5e2b945698',
    '<%= config.bin %> events --follow --json',
  ]
  static override flags = {
    type: Flags.string({description: 'only events of this type (repeat for more)', options: eventTypes, multiple: true}),
    source: Flags.string({description: 'only events of this service (repeat for more)', options: [...services], multiple: true}),
    correlation: Flags.string({description: "only one rental's events (its correlationId; see `gdmarket trace RESNO`)"}),
    limit: numberFlag()({char: 'n', description: 'only the last N events of the history'}),
    follow: Flags.boolean({char: 'f', description: 'then print new events as they happen, until Ctrl-C'}),
    ...tableFlags,
  }

  async run(): Promise<undefined> {
    const {type: types, source, correlation, limit, follow} = this.flags
    // only the services that publish the types asked for: no note about a stopped one that does not matter
    const publishers = new Set<string>(types?.length ? types.map((t) => eventSource[t as EventType]) : services)
    const sources = (source?.length ? source : services).filter((s, i, all) => publishers.has(s) && all.indexOf(s) === i) as ServiceName[]
    const query = {types, sources, correlationId: correlation, limit}
    const print = (e: Envelope) => (this.jsonEnabled() ? process.stdout.write(`${JSON.stringify(e)}\n`) : this.log(eventLine(e, this.layout)))
    const note = (message: string) => this.note(`gdmarket: ${message}`)

    if (!follow) {
      const answer = await this.call<EventsAnswer>('GET', eventsPath(query))
      answer.leftOut.forEach(({message}) => note(message))
      const history = answer._embedded.events
      if (this.jsonEnabled()) history.forEach(print)
      else if (history.length === 0) this.note(types?.length || source?.length || correlation ? 'no events match the filter' : 'no events yet')
      else this.log(eventsTable(history, this.layout))
      return undefined
    }

    // the gateway sends the history, then live events, each once
    const {value: ended, signal} = await interruptible((stop) =>
      followEvents(this.gateway, query, {event: print, leftOut: note, caughtUp: () => this.note('following new events (Ctrl-C to stop)')}, stop),
    )
    if (signal) process.exitCode = signalExitCode(signal)
    else if (ended?.end === 'closed') {
      note('lost the connection to the gateway (did the stack stop? see `gdmarket status`)')
      process.exitCode = 5
    } else if (ended?.end === 'dropped') {
      note(ended.message)
      process.exitCode = 5
    }
    return undefined
  }

  /** NDJSON: an error is one line too, so every line of stdout parses on its own. */
  protected override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json)}\n`)
  }
}
