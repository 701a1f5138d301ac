/**
 * Calendar days as `YYYY-MM-DD`, in the stack's time zone (the setting timeZone): a booking's
 * first and last day, both included (docs/commands.md#rentals-for-dates). Pure functions: the
 * caller passes today in, so a decision reads no clock.
 */
export type Day = string

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/

/** What is wrong with a day, or undefined: a real date in the calendar, written YYYY-MM-DD. */
export function dayProblem(text: string): string | undefined {
  const match = DAY.exec(text)
  const date = match ? utcDate(Number(match[1]), Number(match[2]), Number(match[3])) : undefined
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) return `"${text}" is not a date written YYYY-MM-DD (e.g. 2026-12-10)`
  return undefined
}

/**
 * What is wrong with a period's order, or undefined: its last day may be its first, never before it.
 * `names` are the edge's words for the two days (the API's rentFrom/rentTo, the wizard's questions).
 */
export function reversedProblem(from: Day, to: Day, names: {from: string; to: string}): string | undefined {
  return to < from ? `${names.to} (${to}) is before ${names.from} (${from})` : undefined
}

/** the longest booking for dates: a year, a leap year's too */
export const MAX_BOOKED_DAYS = 366

/** What is wrong with the length of a booking from `from` to `to` (in order), or undefined. */
export function lengthProblem(from: Day, to: Day): string | undefined {
  const days = daysIncluded(from, to)
  return days > MAX_BOOKED_DAYS ? `${from} to ${to} is ${days} days; a booking is at most ${MAX_BOOKED_DAYS} days` : undefined
}

/** one formatter per time zone: making one costs far more than formatting with it, and every request asks the day */
const formatters = new Map<string, Intl.DateTimeFormat>()

/** The day it is at `now` in `timeZone` (an IANA zone such as Asia/Seoul). */
export function dayIn(timeZone: string, now: Date = new Date()): Day {
  let format = formatters.get(timeZone)
  if (!format) {
    // en-CA writes dates as YYYY-MM-DD
    format = new Intl.DateTimeFormat('en-CA', {timeZone, year: 'numeric', month: '2-digit', day: '2-digit'})
    formatters.set(timeZone, format)
  }
  return format.format(now)
}

/** What is wrong with a time zone, or undefined when this Node knows it. */
export function timeZoneProblem(zone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-CA', {timeZone: zone})
    return undefined
  } catch {
    return `"${zone}" is not a time zone this machine knows (an IANA name such as Asia/Seoul or UTC)`
  }
}

let machineZone: string | undefined

/**
 * The machine's own time zone: the default of the setting timeZone. Asked once a process: making
 * a DateTimeFormat to ask it costs more than the rest of a request's work with days (a daemon
 * asked on every command: 5 % of item's CPU in a profile).
 */
export const machineTimeZone = (): string => (machineZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC')

/** A calendar date at midnight UTC; years below 100 as written (Date.UTC reads them as 19xx). */
function utcDate(year: number, month: number, day: number): Date {
  const date = new Date(Date.UTC(2000, month - 1, day))
  date.setUTCFullYear(year)
  return date
}

const epochDay = (day: Day) => utcDate(Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10))).getTime() / 86_400_000

/** How many days from `from` to `to`, both included: 2026-12-10 to 2026-12-12 is 3. */
export const daysIncluded = (from: Day, to: Day): number => epochDay(to) - epochDay(from) + 1

/** The day `n` days after `day` (before it for a negative n). */
export const addDays = (day: Day, n: number): Day => new Date((epochDay(day) + n) * 86_400_000).toISOString().slice(0, 10)

/** Whether two periods share a day; `to` null is open-ended (until returned). Back to back (one ends on the 12th, the next starts on the 13th) is fine. */
export function overlaps(a: {from: Day; to: Day | null}, b: {from: Day; to: Day | null}): boolean {
  return (a.to === null || b.from <= a.to) && (b.to === null || a.from <= b.to)
}
