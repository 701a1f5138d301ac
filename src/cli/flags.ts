import {Args, Flags} from '@oclif/core'

import {dayProblem} from '../calendar.js'
import {parseDistance, parsePlace} from '../place.js'
import {MAX_NUMBER, textProblem} from '../text.js'

/** A name or customer field's flag parser, checking it here as the gateway will: printable, not empty, at most 200 characters. */
export const parseText = async (input: string): Promise<string> => {
  const problem = textProblem(input)
  if (problem) throw new Error(problem)
  return input.trim()
}


/** `--at LAT,LON`: where an item is, checked here as the gateway will. */
export const parsePlaceFlag = async (input: string): Promise<{latitude: number; longitude: number}> => {
  const place = parsePlace(input)
  if ('problem' in place) throw new Error(place.problem)
  return place
}

/** `--near LAT,LON` or `--near home` (the setting home), as the gateway takes it. */
export const parseNear = async (input: string): Promise<string> => {
  if (input.trim() === 'home') return 'home'
  const place = parsePlace(input)
  if ('problem' in place) throw new Error(`${place.problem}, or home`)
  return `${place.latitude},${place.longitude}`
}

/** `--within 2km`, `--within 500m`. */
export const parseWithin = async (input: string): Promise<string> => {
  const metres = parseDistance(input)
  if (typeof metres === 'object') throw new Error(metres.problem)
  return input.trim()
}

/** A calendar day, `--from 2026-12-10`. */
export const parseDay = async (input: string): Promise<string> => {
  const problem = dayProblem(input.trim())
  if (problem) throw new Error(problem)
  return input.trim()
}

/** A whole number within a range, said in the project's words (oclif's would be "Expected an integer…"). */
const wholeNumber =
  (min: number, max: number, what = 'must be') =>
  async (input: string): Promise<number> => {
    const n = /^\s*\d{1,16}\s*$/.test(input) ? Number(input) : Number.NaN
    if (!(n >= min && n <= max)) throw new Error(`${what} a whole number from ${min} to ${max}, not "${input}"`)
    return n
  }

/** A whole-number flag from min to max: `numberFlag()({description, required: true})` for `--price 100`. */
export const numberFlag = (min = 1, max = MAX_NUMBER) => Flags.custom<number>({parse: wholeNumber(min, max)})

/** An item, reservation or payment number as an argument: `gdmarket pay 3`. */
export const numberArg = (name: string, description: string) =>
  Args.custom<number>({parse: wholeNumber(1, MAX_NUMBER, `${name} must be`)})({description, required: true})

/** Flags more than one command takes. */
export const paymentTimeoutFlag = {
  'payment-timeout-ms': numberFlag(100, 60_000)({
    description: 'how long to wait for the payment system this once, 100 to 60000 (default: setting paymentTimeoutMs, 610)',
  }),
}

/** `--wide`, for every command that prints a table (docs/commands.md#tables-and-the-terminal). */
export const wideFlag = {
  wide: Flags.boolean({description: 'every column, nothing cut short (default: fit the terminal; 80 columns, or $COLUMNS, when not one)'}),
}

/** `--wide` and `--columns`, for a command that prints one table. */
export const tableFlags = {
  ...wideFlag,
  // one value split here: oclif's `multiple` would swallow the arguments after it (and say so in every usage error)
  columns: Flags.custom<string[]>({parse: async (input) => input.split(',').map((c) => c.trim()).filter(Boolean)})({
    description: 'only these columns, in this order, by their headers (e.g. `--columns #,item,status`)',
  }),
}
