import {existsSync, openSync, readFileSync, readSync, closeSync, statSync} from 'node:fs'
import {setTimeout as sleep} from 'node:timers/promises'

import {Args, Flags} from '@oclif/core'

import {daemons, SUPERVISOR} from '../bus/topics.js'
import {GdCommand} from '../cli/base.js'

const names = [SUPERVISOR, ...daemons]

export default class Logs extends GdCommand<typeof Logs> {
  static override description = "Print the daemons' logs (all of them merged in time order, or one)"
  static override examples = ['<%= config.bin %> logs', '<%= config.bin %> logs payment --lines 20', '<%= config.bin %> logs --follow']
  static override args = {service: Args.string({description: 'only this daemon', options: names})}
  static override flags = {
    follow: Flags.boolean({char: 'f', description: 'keep printing new lines until Ctrl-C'}),
    lines: Flags.integer({char: 'n', description: 'only the last N lines', min: 0}),
  }

  async run(): Promise<string[] | undefined> {
    const files = (this.args.service ? [this.args.service] : names).map((name) => this.dir.log(name))
    // every line starts with an ISO time, so a stable sort merges the daemons' logs in time order
    const lines = files
      .filter((file) => existsSync(file))
      .flatMap((file) => readFileSync(file, 'utf8').split('\n').filter(Boolean))
      .sort((a, b) => (startsWithTime(a) && startsWithTime(b) ? a.slice(0, 24).localeCompare(b.slice(0, 24)) : 0))
    const shown = this.flags.lines === undefined ? lines : lines.slice(-this.flags.lines || lines.length)
    if (!this.flags.follow) {
      if (!this.jsonEnabled()) for (const line of shown) this.log(line)
      return shown
    }
    for (const line of shown) this.log(this.jsonEnabled() ? JSON.stringify(line) : line)
    await follow(files, (line) => this.log(this.jsonEnabled() ? JSON.stringify(line) : line))
    return undefined
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
