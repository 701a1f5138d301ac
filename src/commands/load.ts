import {Flags} from '@oclif/core'

import {GdCommand} from '../cli/base.js'
import {numberFlag, wideFlag} from '../cli/flags.js'
import {interruptible} from '../cli/interrupt.js'
import {parseLoadDuration} from '../load/duration.js'
import {cycleKinds, cycleSteps, DEFAULT_MIX, parseMix} from '../load/mix.js'
import {loadReport, progressLine} from '../load/report.js'
import {runLoad} from '../load/runner.js'
import type {LoadSummary} from '../load/summary.js'

const DEFAULT_DURATION = '10s'

export default class Load extends GdCommand<typeof Load> {
  static override description = `Siege-like load on the running stack: N workers run rental cycles through the gateway
Each worker runs cycles back to back, each on a new item: ${cycleKinds.map((k) => `${k} = ${cycleSteps[k]}`).join('; ')}. Every command is a transaction; a failed one ends its cycle and the worker starts the next. Requests wait in the broker for a service that restarts without downtime, up to the setting requestTimeoutMs.
Prints transactions, availability (successful / all transactions, in %), elapsed time, rate, p50/p95/p99 latency per command (nearest rank) and the failures grouped by exit code, code and message. Ctrl-C stops early and still prints what ran.
Exit 0 when the load ran, also when transactions failed (they are reported); 5 when the stack is not running; 2 on bad flags.`
  static override examples = [
    '<%= config.bin %> load',
    '<%= config.bin %> load --concurrent 16 --duration 30s',
    '<%= config.bin %> load --cycles 100 --mix rental=50,cancel=50 --json',
  ]
  static override flags = {
    concurrent: numberFlag(1, 1000)({char: 'c', description: 'workers running cycles at the same time', default: 8}),
    duration: Flags.custom<number>({
      char: 't',
      description: `how long to run, e.g. 500ms, 30s, 2m (default ${DEFAULT_DURATION})`,
      helpValue: '30s',
      parse: async (input) => parseLoadDuration(input),
      // named on one side only (oclif would report the clash twice), the side whose message shows the value as typed
      exclusive: ['cycles'],
    })(),
    cycles: numberFlag()({description: 'run this many cycles in all instead of for a duration'}),
    mix: Flags.custom<ReturnType<typeof parseMix>>({
      description: `how often each cycle kind runs, as relative weights (default ${DEFAULT_MIX})`,
      helpValue: DEFAULT_MIX,
      parse: async (input) => parseMix(input),
    })(),
    ...wideFlag,
  }

  async run(): Promise<LoadSummary> {
    const {concurrent, cycles} = this.flags
    const mix = this.flags.mix ?? parseMix(DEFAULT_MIX)
    const durationMs = cycles === undefined ? (this.flags.duration ?? parseLoadDuration(DEFAULT_DURATION)) : undefined
    // Ctrl-C (or SIGTERM) stops the workers; the summary of what ran is still printed
    const tty = Boolean(process.stderr.isTTY)
    let summary: LoadSummary
    try {
      ;({value: summary} = await interruptible((signal) =>
        runLoad(this.dir, {
          concurrent,
          mix,
          cycles,
          durationMs,
          signal,
          onProgress: tty ? (p) => process.stderr.write(`\r\u001B[2K${progressLine(p, {durationMs, cycles})}`) : undefined,
          progressEveryMs: 500,
        }),
      ))
    } finally {
      if (tty) process.stderr.write('\r\u001B[2K') // the progress line gives way to the summary
    }
    return this.show(summary, loadReport)
  }
}
