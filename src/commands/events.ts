import {Flags} from '@oclif/core'

import {readStackFile} from '../broker/stackFile.js'
import {eventSource, eventTypes, type Envelope, type EventType} from '../bus/events.js'
import {services, type ServiceName} from '../bus/topics.js'
import {GdCommand} from '../cli/base.js'
import {openEventFeed} from '../cli/eventFeed.js'
import {gatherHistory} from '../cli/eventHistory.js'
import {matchesFilter, type EventFilter} from '../cli/eventOrder.js'
import {eventLine, eventsTable} from '../cli/eventText.js'
import {notRunning} from '../cli/stackAccess.js'

export default class Events extends GdCommand<typeof Events> {
  static override description = `The event history of the item, reservation and payment services, merged in time order
Each service answers for the events it produced; a service that is down is left out with a note on stderr. With --follow, new events on the bus are printed as they come until Ctrl-C.
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
    limit: Flags.integer({char: 'n', description: 'only the last N events of the history', min: 1}),
    follow: Flags.boolean({char: 'f', description: 'then print new events as they happen, until Ctrl-C'}),
  }

  async run(): Promise<undefined> {
    const {type: types, source, correlation, limit, follow} = this.flags
    // only the services that publish the types asked for: no note about a stopped one that does not matter
    const publishers = new Set<string>(types?.length ? types.map((t) => eventSource[t as EventType]) : services)
    const sources = (source?.length ? source : services).filter((s, i, all) => publishers.has(s) && all.indexOf(s) === i) as ServiceName[]
    const filter: EventFilter = {types, sources, correlationId: correlation}
    const printed = new Set<string>()
    const print = (e: Envelope) => {
      printed.add(e.id)
      if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify(e)}\n`)
      else this.log(eventLine(e))
    }

    if (!follow) {
      const history = await this.history(sources, filter, limit)
      if (this.jsonEnabled()) history.forEach(print)
      else if (history.length === 0) this.note('no events yet')
      else this.log(eventsTable(history))
      return undefined
    }

    // Subscribe before reading the history, holding live events back meanwhile: an event that
    // happens in between is then either in the history or live (printed once), never lost.
    const stack = readStackFile(this.dir.stackFile)
    if (!stack) throw notRunning(this.dir)
    let held: Envelope[] | undefined = []
    const onLive = (e: Envelope) => {
      if (!matchesFilter(e, filter) || printed.has(e.id)) return
      if (held) held.push(e)
      else print(e)
    }
    const feed = await openEventFeed(stack, sources, onLive, (problem) => this.note(`gdmarket: ${problem}`))
    try {
      for (const e of await this.history(sources, filter, limit)) print(e)
      const backlog = held
      held = undefined
      for (const e of backlog) onLive(e)
      this.note('following new events (Ctrl-C to stop)')
      let onSignal: (signal: NodeJS.Signals) => void = () => {}
      const ended = await new Promise<NodeJS.Signals | 'closed'>((resolve) => {
        onSignal = resolve
        process.once('SIGINT', onSignal).once('SIGTERM', onSignal)
        void feed.closed.then(() => resolve('closed'))
      })
      process.off('SIGINT', onSignal).off('SIGTERM', onSignal)
      if (ended === 'closed') {
        this.note('gdmarket: lost the connection to the broker (did the stack stop? see `gdmarket status`)')
        process.exitCode = 5
      } else {
        // stopped by a signal, after a clean close: the exit code a shell expects of one (130 for Ctrl-C)
        process.exitCode = ended === 'SIGINT' ? 130 : 143
      }
    } finally {
      await feed.close()
    }
    return undefined
  }

  private history(sources: ServiceName[], filter: EventFilter, limit: number | undefined): Promise<Envelope[]> {
    // one type is filtered by the services themselves; several (and the rest) here
    const type = filter.types?.length === 1 ? filter.types[0] : undefined
    const query = {type, correlationId: filter.correlationId, limit: filter.types && filter.types.length > 1 ? undefined : limit}
    return gatherHistory((t, c, b) => this.request(t, c, b), sources, query, (m) => this.note(m)).then((events) => {
      const kept = events.filter((e) => matchesFilter(e, filter))
      return limit === undefined ? kept : kept.slice(-limit)
    })
  }

  /** NDJSON: an error is one line too, so every line of stdout parses on its own. */
  protected override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json)}\n`)
  }
}
