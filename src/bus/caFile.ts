import {readFileSync, statSync} from 'node:fs'

/** The largest CA file read: a bundle of a few hundred certificates. A device or a pipe that never ends is none. */
const MAX_CA_BYTES = 1024 * 1024

/**
 * What is wrong with a file given as the CA of an `mqtts://` broker, or undefined: it must be a
 * regular file of PEM certificates. Checked before anything starts, so a mistake is one line and
 * exit 2, not a hang (`/dev/zero` read forever) or a TLS error far from its cause.
 */
export function caFileProblem(file: string): string | undefined {
  let stat
  try {
    stat = statSync(file)
  } catch {
    return 'does not exist'
  }
  if (!stat.isFile()) return `is not a file (${stat.isDirectory() ? 'a directory' : 'a device, a pipe or a socket'})`
  if (stat.size > MAX_CA_BYTES) return `is ${stat.size} bytes, more than a CA file's ${MAX_CA_BYTES}`
  if (!readFileSync(file, 'latin1').includes('-----BEGIN CERTIFICATE-----')) return 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)'
  return undefined
}

/** The line for a CA file that is wrong, with how it was given (a flag, a variable). */
export const caFileLine = (file: string, problem: string, given: string): string =>
  `the broker's CA file ${file} ${problem}; give the PEM file of the CA that signed the broker's certificate (${given})`
