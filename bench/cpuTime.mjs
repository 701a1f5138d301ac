// @ts-check
/**
 * CPU time of processes, for "CPU per rental cycle": on a machine whose cores are the limit, what
 * a system spends per cycle, process by process, says more than its cycles/s, which other load on
 * the machine moves. Read from /proc: every thread's schedstat (nanoseconds on a CPU; a process's
 * own schedstat counts its main thread only, not libuv's pool that writes and fsyncs, nor V8's
 * helpers), else the process's stat (clock ticks, 10 ms).
 */
import {readdirSync, readFileSync} from 'node:fs'

/** clock ticks per second of /proc/<pid>/stat: 100 on every Linux this runs on */
const TICKS_PER_SECOND = 100

/** CPU time `pid` has used so far, in ms; NaN when it cannot be read (the process is gone). @param {number} pid */
export function cpuMs(pid) {
  try {
    let ns = 0
    for (const thread of readdirSync(`/proc/${pid}/task`)) ns += Number(readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0])
    return ns / 1e6
  } catch {}
  try {
    // utime and stime are the 14th and 15th fields; the command name before them may hold spaces
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND
  } catch {
    return NaN
  }
}

/**
 * CPU time of named processes so far, in ms.
 * @param {Record<string, number>} pids by process name
 * @returns {Record<string, number>}
 */
export function cpuOf(pids) {
  return Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, cpuMs(pid)]))
}
