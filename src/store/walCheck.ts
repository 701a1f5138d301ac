import {existsSync, readFileSync} from 'node:fs'

/**
 * What SQLite's recovery would drop from a `-wal` that is damaged before its end
 * (https://www.sqlite.org/fileformat2.html#walformat). SQLite reads the log up to the first frame
 * whose checksum fails and quietly ignores the rest. A crash tears only the transaction being
 * written, whose commit was never acknowledged; with synchronous=FULL every commit is on disk
 * before the next transaction begins, so two or more commits of this log's generation (its salts)
 * after the first bad frame mean damage to the file, not a crash: whole transactions would be lost.
 * Returns how many commits follow the damage, or 0 when the log is whole or torn only at its end.
 */
export function walCommitsAfterDamage(wal: string): number {
  if (!existsSync(wal)) return 0
  const bytes = readFileSync(wal)
  if (bytes.length < 32) return 0
  const magic = bytes.readUInt32BE(0)
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return 0 // no log SQLite would read either
  const bigEndian = magic === 0x377f0683
  const pageSize = bytes.readUInt32BE(8) === 1 ? 65_536 : bytes.readUInt32BE(8)
  const salts = [bytes.readUInt32BE(16), bytes.readUInt32BE(20)]
  let sum = checksum(bytes, 0, 24, [0, 0], bigEndian)
  if (sum[0] !== bytes.readUInt32BE(24) || sum[1] !== bytes.readUInt32BE(28)) return 0 // SQLite ignores the whole log: the db file alone is checked
  const frameSize = 24 + pageSize
  let damaged = false
  let commitsAfter = 0
  for (let at = 32; at + frameSize <= bytes.length; at += frameSize) {
    const ours = bytes.readUInt32BE(at + 8) === salts[0] && bytes.readUInt32BE(at + 12) === salts[1]
    const commit = bytes.readUInt32BE(at + 4) !== 0
    if (!damaged) {
      sum = checksum(bytes, at + 24, pageSize, checksum(bytes, at, 8, sum, bigEndian), bigEndian)
      damaged = !ours || sum[0] !== bytes.readUInt32BE(at + 16) || sum[1] !== bytes.readUInt32BE(at + 20)
      if (!damaged) continue
    }
    if (ours && commit) commitsAfter++
  }
  return commitsAfter >= 2 ? commitsAfter - 1 : 0 // the first is the torn transaction's own commit
}

/** SQLite's WAL checksum: pairs of 32-bit words, in the byte order the magic names. */
function checksum(bytes: Buffer, from: number, length: number, [s0, s1]: number[], bigEndian: boolean): number[] {
  for (let i = from; i < from + length; i += 8) {
    const x0 = bigEndian ? bytes.readUInt32BE(i) : bytes.readUInt32LE(i)
    const x1 = bigEndian ? bytes.readUInt32BE(i + 4) : bytes.readUInt32LE(i + 4)
    s0 = (s0 + x0 + s1) >>> 0
    s1 = (s1 + x1 + s0) >>> 0
  }
  return [s0, s1]
}
