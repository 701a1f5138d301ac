import {existsSync, openSync, readFileSync, readSync, closeSync, statSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'

import {Args, Flags} from '@oclif/core'

import {daemons, SUPERVISOR} from '../bus/topics.js'
import {GdCommand} from '../cli/base.js'
import {numberFlag} from '../cli/flags.js'
import {readStackFile} from '../stackFile.js'

const names = [SUPERVISOR, ...daemons]

/** One log line as --json gives it. */
export interface LogLine {
  time: string | null
  level: string | null
  service: string | null
  message: string
}

/** `2026-12-01T19:38:11.661Z info item: ready …` (src/runtime/log.ts); anything else (a crash's output) is kept whole. */
export function parseLogLine(line: string): LogLine {
  const m = /^(\d{4}-\d\d-\d\dT\S+) (\w+) ([\w-]+): (.*)$/.exec(line)
  return m ? {time: m[1], level: m[2], service: m[3], message: m[4]} : {time: null, level: null, service: null, message: line}
}

export default class Logs extends GdCommand<typeof Logs> {
  static override description = `Print the daemons' logs (all of them merged in time order, or one)
With --json the output is NDJSON: one {time, level, service, message} per line. Works without a running stack: then it says so and prints the logs of the last run.`
  static override examples = ['<%= config.bin %> logs', '<%= config.bin %> logs payment --lines 20', '<%= config.bin %> logs --follow', '<%= config.bin %> logs --json']
  static override args = {service: Args.string({description: 'only this daemon', options: names})}
  static override flags = {
    follow: Flags.boolean({char: 'f', description: 'keep printing new lines until Ctrl-C'}),
    lines: numberFlag(0)({char: 'n', description: 'only the last N lines'}),
  }

  async run(): Promise<undefined> {
    const files = (this.args.service ? [this.args.service] : names).map((name) => this.dir.log(name))
    if (!readStackFile(this.dir.stackFile)) {
      const ran = files.some((file) => existsSync(file))
      this.note(`gdmarket is not running for ${this.dir.root}${ran ? '; these are the logs of its last run' : ' and has no logs there'}`)
    }
    // every line starts with an ISO time, so a stable sort merges the daemons' logs in time order
    const lines = files
      .filter((file) => existsSync(file))
      .flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean))
      .sort((a, b) => (startsWithTime(a) && startsWithTime(b) ? a.slice(0, 24).localeCompare(b.slice(0, 24)) : 0))
    const shown = this.flags.lines === undefined ? lines : lines.slice(-this.flags.lines || lines.length)
    const print = (line: string) => (this.jsonEnabled() ? process.stdout.write(`${JSON.stringify(parseLogLine(line))}\n`) : this.log(line))
    shown.forEach(print)
    if (this.flags.follow) await follow(files, print)
    return undefined
  }

  /** NDJSON: an error is one line too, so every line of stdout parses on its own. */
  protected override logJson(json: unknown): void {
    if (json !== undefined) process.stdout.write(`${JSON.stringify(json)}\n`)
  }
}

const startsWithTime = (line: string) => /^\d{4}-\d\d-\d\dT/.test(line)

/** Polls the files for appended bytes; ends only when the process is interrupted. */
async function follow(files: string[], print: (line: string) => void): Promise<never> {
  const offsets = new Map(files.map((f) => [f, existsSync(f) ? statSync(f).size : 0]))
  const partial = new Map<string, string>()
  for (;;) {
    await sleep(200)
    for (const file of files) {
      if (!existsSync(file)) continue
      const size = statSync(file).size
      const from = offsets.get(file) ?? 0
      if (size <= from) continue
      const buffer = Buffer.alloc(size - from)
      const fd = openSync(file, 'r')
      readSync(fd, buffer, 0, buffer.length, from)
      closeSync(fd)
      offsets.set(file, size)
      const text = (partial.get(file) ?? '') + buffer.toString('utf8')
      const parts = text.split('\n')
      partial.set(file, parts.pop() ?? '')
      for (const line of parts) if (line) print(line)
    }
  }
}
