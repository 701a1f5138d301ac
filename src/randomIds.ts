import {randomFillSync} from 'node:crypto'

import {v7 as uuidv7} from 'uuid'

/**
 * Random bytes for ids, drawn from a pool filled in one call. Each call for random bytes (Node's
 * `randomBytes`, or `crypto.getRandomValues`, which the uuid package makes for every id) costs
 * OpenSSL a `getpid` (its fork check): a dozen syscalls a rental cycle for event ids, trace-ids
 * and span-ids (docs/performance.md#syscalls-per-rental-cycle). A process here never forks, so the
 * pool is never shared.
 */
const pool = Buffer.alloc(4096)
let drawn = pool.length

/** `n` random bytes, valid until the next draw: use them at once. */
export function drawRandom(n: number): Buffer {
  if (drawn + n > pool.length) {
    randomFillSync(pool)
    drawn = 0
  }
  return pool.subarray(drawn, (drawn += n))
}

/** A UUIDv7 (time-ordered) from the pool. */
export const newUuidV7 = (): string => uuidv7({random: drawRandom(16)})
