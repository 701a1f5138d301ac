import {randomBytes} from 'node:crypto'
import {performance} from 'node:perf_hooks'

import http from 'node:http'

import {GatewayClient} from '../cli/gatewayClient.js'
import {marketClient, type Market} from '../cli/market.js'
import {GdError} from '../errors.js'
import type {DataDir} from '../paths.js'
import {mixPicker, type CycleKind, type Mix} from './mix.js'
import type {Progress} from './report.js'
import {Tally, type FailureCause, type LoadCommand, type LoadSummary} from './summary.js'

/** Every cycle's item costs this: low, so a configured paymentLimit declines it only on purpose. */
const ITEM_PRICE = 10

export interface LoadPlan {
  concurrent: number
  mix: Mix
  /** stop once this many cycles have ended (completed or failed)… */
  cycles?: number
  /** …or once this long has passed: no new command starts, the ones in flight finish and count */
  durationMs?: number
  /** Ctrl-C: stop at once; requests in flight are abandoned, not counted */
  signal?: AbortSignal
  onProgress?: (progress: Progress) => void
  progressEveryMs?: number
}

/**
 * Runs the plan against the running stack's gateway, over keep-alive HTTP connections as any
 * client would. A request for a service that is restarting waits in the broker until the new
 * process takes it (zero-downtime restart), or fails at once for a service that is down, or after
 * the gateway's deadline (setting requestTimeoutMs) — which is what availability measures.
 */
export async function runLoad(dir: DataDir, plan: LoadPlan): Promise<LoadSummary> {
  const agent = new http.Agent({keepAlive: true, maxSockets: plan.concurrent})
  const gateway = GatewayClient.of(dir, agent)
  try {
    return await runWorkers(marketClient((method, path, body) => gateway.call(method, path, body)), plan)
  } finally {
    agent.destroy() // abandoned calls: their workers stopped waiting already
  }
}

/** Thrown inside a cycle: stop this worker now (time is up, or interrupted). */
const STOP = Symbol('stop')
/** Thrown inside a cycle: a command failed; it is counted, the cycle ends, the worker starts a new one. */
const FAILED = Symbol('failed')
const ABANDONED = Symbol('abandoned')

/** `concurrent` async workers, each running cycles back to back, counting every command as a transaction. */
export async function runWorkers(market: Market, plan: LoadPlan): Promise<LoadSummary> {
  const now = () => performance.now()
  const {concurrent, mix, cycles, durationMs, signal} = plan
  const tally = new Tally()
  const pick = mixPicker(mix)
  const runId = randomBytes(3).toString('hex')
  const startedAt = now()
  let started = 0
  let abandoned = 0
  /** a bug in a cycle (not a failed command): every worker stops, then it is thrown */
  let broken: {error: unknown} | undefined
  const timeUp = () => durationMs !== undefined && now() - startedAt >= durationMs
  const stopping = () => Boolean(signal?.aborted) || broken !== undefined || timeUp()
  /** One command = one transaction: timed from request to reply, counted, and a failure ends the cycle. */
  async function transaction<R>(command: LoadCommand, call: () => Promise<R>): Promise<R> {
    if (stopping()) throw STOP
    const began = now()
    const outcome = await abandonable(call(), signal)
    if (outcome === ABANDONED) {
      abandoned++
      throw STOP
    }
    if ('error' in outcome) {
      tally.record(command, now() - began, failureCause(outcome.error))
      throw FAILED
    }
    tally.record(command, now() - began)
    return outcome.value
  }

  const cycle = cycleKinds(market, transaction, runId)

  async function worker(n: number): Promise<void> {
    const customerId = `load-${runId}-${n}`
    while (!stopping() && (cycles === undefined || started < cycles)) {
      const cycleNo = ++started
      try {
        await cycle[pick()](cycleNo, customerId)
        tally.cycleEnded(true)
      } catch (error) {
        if (error === STOP) return
        if (error !== FAILED) {
          broken ??= {error} // not thrown from here: the other workers would go on against a closed connection
          return
        }
        tally.cycleEnded(false)
      }
    }
  }

  const progress = (): Progress => ({
    elapsedMs: now() - startedAt,
    transactions: tally.transactions,
    failed: tally.failed,
    cycles: tally.cycles + tally.cyclesFailed,
  })
  const ticker = plan.onProgress && setInterval(() => plan.onProgress!(progress()), plan.progressEveryMs ?? 500)
  try {
    await Promise.all(Array.from({length: concurrent}, (_, n) => worker(n + 1)))
  } finally {
    if (ticker) clearInterval(ticker)
  }
  if (broken) throw broken.error
  return tally.summary({elapsedMs: now() - startedAt, cyclesStarted: started, concurrent, mix, interrupted: Boolean(signal?.aborted), abandoned})
}

/** The call's outcome, or ABANDONED as soon as the run is interrupted (its listener is removed after, so none pile up). */
function abandonable<R>(call: Promise<R>, signal: AbortSignal | undefined) {
  return new Promise<{value: R} | {error: unknown} | typeof ABANDONED>((resolve) => {
    const onAbort = () => resolve(ABANDONED)
    signal?.addEventListener('abort', onAbort, {once: true})
    const settle = (outcome: {value: R} | {error: unknown}) => {
      signal?.removeEventListener('abort', onAbort)
      resolve(outcome)
    }
    call.then((value) => settle({value}), (error: unknown) => settle({error}))
  })
}

type Transaction = <R>(command: LoadCommand, call: () => Promise<R>) => Promise<R>

/** What each kind of cycle does, one transaction per command. */
function cycleKinds(market: Market, transaction: Transaction, runId: string): Record<CycleKind, (cycleNo: number, customerId: string) => Promise<void>> {
  // every cycle has an item of its own: workers never compete for one, so a refusal is a real failure
  const reserveNewItem = async (cycleNo: number, customerId: string) => {
    const item = await transaction('item register', () => market.item.register({itemName: `load ${runId} #${cycleNo}`, itemPrice: ITEM_PRICE}))
    const reservation = await transaction('reserve', () => market.reservation.reserve({itemNo: item.itemNo, customerName: 'load', customerId}))
    return {itemNo: item.itemNo, reservationNo: reservation.reservationNo}
  }
  return {
    async rental(cycleNo, customerId) {
      const {itemNo, reservationNo} = await reserveNewItem(cycleNo, customerId)
      await transaction('pay', () => market.reservation.pay({reservationNo}))
      await transaction('lend', () => market.item.lend({itemNo}))
      await transaction('return', () => market.item.return({itemNo}))
    },
    async cancel(cycleNo, customerId) {
      const {reservationNo} = await reserveNewItem(cycleNo, customerId)
      await transaction('pay', () => market.reservation.pay({reservationNo}))
      await transaction('reservation cancel', () => market.reservation.cancel({reservationNo}))
    },
  }
}

/** A GdError as the service (or the deadline) gave it; anything else (a lost connection) is "unavailable". */
function failureCause(error: unknown): FailureCause {
  if (error instanceof GdError) return {exit: error.exit, code: error.code, message: error.message}
  return {exit: 5, code: 'CONNECTION', message: error instanceof Error ? error.message : String(error)}
}
