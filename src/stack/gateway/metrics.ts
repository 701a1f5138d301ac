import {collectDefaultMetrics, Counter, Gauge, Histogram, Registry} from 'prom-client'

import type {HealthAnswer} from '../../runtime/health.js'
import type {ObserveRequest} from './server.js'

/** What the metrics are read from at each scrape: the gateway's own counts, the processes, and each daemon's `health` answer. */
export interface MetricsSources {
  /** messages the broker carried (embedded) or the gateway sent and saw (external), by kind */
  brokerMessages(): Record<string, number>
  processes(): {name: string; state: string; restarts: number}[]
  /** the highest event seq per service the broker accepted */
  frontier(): Record<string, number>
  /** each daemon's answer to `health`, asked now; none for one that is not online or did not answer in time */
  health(): Promise<{name: string; health?: HealthAnswer}[]>
}

const processStates = ['online', 'offline', 'restarting', 'errored', 'stopped'] as const
const breakerStates = ['closed', 'open', 'halfOpen'] as const

/** HTTP latency buckets, in seconds: the gateway's own work is ~0.15 ms, a rental step a few ms, a timeout 5 s. */
const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

/**
 * The gateway's /metrics in Prometheus' text format, through prom-client (docs/deploy.md#metrics):
 * requests by route and status with their latency, and what the stack's processes count, read
 * when Prometheus scrapes (a registry of its own: nothing global is shared with another stack).
 */
export function gatewayMetrics(sources: MetricsSources): {observe: ObserveRequest; scrape(): Promise<string>; contentType: string} {
  const registry = new Registry()
  collectDefaultMetrics({register: registry})
  const metric = <T extends Counter | Gauge>(Kind: new (config: {name: string; help: string; labelNames: string[]; registers: Registry[]}) => T, name: string, help: string, labelNames: string[]) =>
    new Kind({name, help, labelNames, registers: [registry]})
  const requests = metric(Counter, 'gdmarket_http_requests_total', 'HTTP requests answered, by method, route (its template) and status', ['method', 'route', 'status'])
  const latency = new Histogram({
    name: 'gdmarket_http_request_duration_seconds',
    help: 'Time from a request to its answer, by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: latencyBuckets,
    registers: [registry],
  })
  const m = {
    broker: metric(Counter, 'gdmarket_broker_messages_total', 'MQTT messages through the broker, by kind (on an external broker: those the gateway sent and saw)', ['kind']),
    frontier: metric(Gauge, 'gdmarket_frontier_seq', 'The highest event seq of each service the broker accepted (what requests wait for)', ['service']),
    up: metric(Gauge, 'gdmarket_process_up', '1 when the process is online', ['process']),
    state: metric(Gauge, 'gdmarket_process_state', '1 for the state the process is in', ['process', 'state']),
    restarts: metric(Counter, 'gdmarket_process_restarts_total', 'Restarts of a process after it stopped unexpectedly', ['process']),
    answered: metric(Gauge, 'gdmarket_service_health_answered', '1 when the service answered this scrape (its numbers below are then current)', ['service']),
    produced: metric(Counter, 'gdmarket_events_produced_total', 'Events a service made (its last seq)', ['service']),
    applied: metric(Counter, 'gdmarket_events_applied_total', "Events a service applied of another's, by source (dead letters included)", ['service', 'source']),
    deadLetters: metric(Counter, 'gdmarket_dead_letters_total', 'Events a service could not apply, set aside', ['service']),
    duplicates: metric(Counter, 'gdmarket_duplicate_events_total', 'Redelivered events recognised and skipped since the service started', ['service']),
    requests: metric(Counter, 'gdmarket_requests_handled_total', "Requests a service (each of the view's replicas) took since it started, health probes left out", ['service']),
    ignored: metric(Counter, 'gdmarket_ignored_messages_total', 'Malformed or unexpected messages ignored since the service started', ['service']),
    breaker: metric(Gauge, 'gdmarket_breaker_state', '1 for the state a circuit breaker is in', ['service', 'breaker', 'state']),
    opens: metric(Counter, 'gdmarket_breaker_opens_total', 'Times a circuit breaker opened since its service started', ['service', 'breaker']),
  }
  const fresh = () => Object.values(m).forEach((each) => each.reset())
  const count = (counter: Counter, labels: Record<string, string>, value: number) => counter.inc(labels, value)

  let last: Promise<unknown> = Promise.resolve()
  return {
    contentType: registry.contentType,
    observe(method, route, status, seconds) {
      const labels = {method, route, status: String(status)}
      requests.inc(labels)
      latency.observe(labels, seconds)
    },
    // one at a time: a scrape resets the numbers before it sets them
    scrape() {
      const run = () => scrapeOnce()
      const next = last.then(run, run)
      last = next
      return next
    },
  }

  async function scrapeOnce(): Promise<string> {
    const answers = await sources.health()
    fresh()
    for (const [kind, n] of Object.entries(sources.brokerMessages())) count(m.broker, {kind}, n)
    for (const [service, seq] of Object.entries(sources.frontier())) m.frontier.set({service}, seq)
    for (const p of sources.processes()) {
      m.up.set({process: p.name}, p.state === 'online' ? 1 : 0)
      for (const state of processStates) m.state.set({process: p.name, state}, p.state === state ? 1 : 0)
      count(m.restarts, {process: p.name}, p.restarts)
    }
    for (const {name, health} of answers) {
      m.answered.set({service: name}, health ? 1 : 0)
      if (health) serviceMetrics(m, name, health, count)
    }
    return registry.metrics()
  }
}

type ServiceMetrics = Record<'produced' | 'applied' | 'deadLetters' | 'duplicates' | 'requests' | 'ignored' | 'opens', Counter> & {breaker: Gauge}

/** One daemon's numbers, from its `health` answer. */
function serviceMetrics(m: ServiceMetrics, service: string, health: HealthAnswer, count: (c: Counter, labels: Record<string, string>, n: number) => void): void {
  count(m.produced, {service}, health.seq)
  for (const [source, n] of Object.entries(health.applied)) count(m.applied, {service, source}, n)
  count(m.deadLetters, {service}, health.deadLetters)
  count(m.duplicates, {service}, health.duplicates)
  count(m.ignored, {service}, health.ignored)
  count(m.requests, {service}, health.requests)
  for (const b of health.breakers) {
    for (const state of breakerStates) m.breaker.set({service, breaker: b.name, state}, b.state === state ? 1 : 0)
    count(m.opens, {service, breaker: b.name}, b.opens)
  }
}
