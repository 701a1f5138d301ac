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
 * SQLite's result codes for the same causes (better-sqlite3 puts them in `code`; extended codes
 * like SQLITE_IOERR_WRITE start with their primary's name).
 */
const sqliteCauses: [prefix: string, errno: string][] = [
  ['SQLITE_FULL', 'ENOSPC'],
  ['SQLITE_READONLY', 'EROFS'],
  ['SQLITE_PERM', 'EPERM'],
  ['SQLITE_CANTOPEN', 'EACCES'],
  ['SQLITE_IOERR', 'EIO'],
]

/** The errno a failure of the disk stands for, from the system or from SQLite; undefined for any other failure. */
export function storageErrno(error: unknown): string | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (code === undefined) return undefined
  if (Object.hasOwn(causes, code)) return code
  return sqliteCauses.find(([prefix]) => code.startsWith(prefix))?.[1]
}

/**
 * A failed write of a service's files as the user should hear it: the directory, the cause, and
 * that the service comes back by itself once it can write (the supervisor keeps restarting it,
 * docs/guarantees.md). `undefined` for a failure that is not the disk's.
 */
export function storageProblem(error: unknown, dir: string, service: string): GdError | undefined {
  const code = storageErrno(error)
  const known = code === undefined ? undefined : causes[code]
  if (known === undefined) return undefined
  const [cause, fix] = known
  return unavailable('STORAGE', `the ${service} service cannot write ${dir}: ${cause}; ${fix}, and it comes back on its own`)
}
