import {unavailable, type GdError} from '../errors.js'

const full = 'free some space there'
const locked = 'make it writable for this user'
/** What the system said, in words, and what a person does about it. */
const causes: Record<string, [cause: string, fix: string]> = {
  ENOSPC: ['no space left on device', full],
  EDQUOT: ['disk quota exceeded', full],
  EFBIG: ['file too large', full],
  EROFS: ['read-only file system', locked],
  EACCES: ['permission denied', locked],
  EPERM: ['operation not permitted', locked],
  EIO: ['input/output error', 'check the disk'],
}

/**
 * A failed write of a service's files as the user should hear it: the directory, the cause, and
 * that the service comes back by itself once it can write (the supervisor keeps restarting it,
 * docs/guarantees.md). `undefined` for a failure that is not the disk's.
 */
export function storageProblem(error: unknown, dir: string, service: string): GdError | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const known = code === undefined ? undefined : causes[code]
  if (known === undefined) return undefined
  const [cause, fix] = known
  return unavailable('STORAGE', `the ${service} service cannot write ${dir}: ${cause}; ${fix}, and it comes back on its own`)
}
