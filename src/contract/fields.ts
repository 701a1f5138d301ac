import {z} from 'zod'

import {dayProblem} from '../calendar.js'
import {coordinateProblem, parseDistance, parsePlace} from '../place.js'
import {MAX_NUMBER, MAX_TEXT, textProblem} from '../text.js'

/**
 * The fields of the market's commands, on the original system's names, as clients send them. The
 * same schema checks a request at the gateway, parses it again in the service behind the broker,
 * and describes it in /openapi.json (docs/architecture.md#the-contract).
 *
 * HTTPie's `itemPrice=100` sends the string "100"; the original's Jackson turned such strings into
 * numbers, so whole-number fields accept digits as text too.
 */
const WHOLE = `must be a whole number from 1 to ${MAX_NUMBER}`

/** a whole number ≥ 1, also as digits in text; a record's number or a price */
export const wholeNumber = z
  .union([z.number({error: WHOLE}).int({error: WHOLE}).min(1, {error: WHOLE}).max(MAX_NUMBER, {error: WHOLE}), z.string().regex(/^\s*0*[1-9]\d{0,14}\s*$/, {error: WHOLE})], {error: WHOLE})
  .transform(Number)

/**
 * Names and customer fields: printable text of at most MAX_TEXT characters, by the CLI's and the
 * wizard's rule (src/text.ts), whose message names the character; `max` and the pattern say what
 * they can of it in /openapi.json.
 */
export const text = z
  .string({error: 'must be text'})
  .max(MAX_TEXT, {error: `must be at most ${MAX_TEXT} characters`})
  .regex(/\S/, {error: 'must not be empty'})
  .refine((s) => textProblem(s) === undefined, {error: (issue) => textProblem(issue.input as string)})
  .transform((s) => s.trim())

/** true or false, also as the words (a query parameter: `?force=true`) */
export const flag = z
  .union([z.boolean(), z.enum(['true', 'false'], {error: 'must be true or false'})], {error: 'must be true or false'})
  .transform((v) => v === true || v === 'true')

/** one of a few words, said so (zod's own: "Invalid option: expected one of …") */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, {error: `must be one of: ${values.join(', ')}`})

export const itemStatus = oneOf(['Rentable', 'NotRentable'])
export const rentalStatus = oneOf(['NotRenting', 'Renting', 'Returned'])
export const paymentStatus = oneOf(['NotPaid', 'Paid'])
export const reservationStatus = oneOf(['Reserved', 'Cancelled', 'Completed'])

/**
 * A claim: a field a client sends about the thing besides the command's own arguments. It is never
 * taken as a fact: the service compares it with the thing as the command leaves it, and refuses
 * one that contradicts (src/services/claims.ts).
 */
export const claim = <T extends z.ZodType>(schema: T) => schema.optional()

/** decimal degrees (WGS84), in range, at most 6 decimals; also as text (HTTPie sends `latitude=37.5`) */
const degrees = (axis: 'latitude' | 'longitude') =>
  z
    .union([z.number(), z.string()], {error: () => coordinateProblem(undefined, axis)})
    .refine((value) => coordinateProblem(value, axis) === undefined, {error: (issue) => coordinateProblem(issue.input, axis)})
    .transform(Number)
export const latitude = degrees('latitude')
export const longitude = degrees('longitude')

/** `LAT,LON`, or `home` (the setting home): where a search starts */
export const near = z.string({error: 'must be LAT,LON or home'}).refine((text) => text === 'home' || !('problem' in parsePlace(text)), {
  error: (issue) => {
    const parsed = parsePlace(String(issue.input))
    return 'problem' in parsed ? `${parsed.problem}, or home` : undefined
  },
})

/** `2km`, `500m`: a search's radius */
export const distance = z.string({error: 'must be a distance such as 500m or 2km'}).refine((text) => !(typeof parseDistance(text) === 'object'), {
  error: (issue) => (parseDistance(String(issue.input)) as {problem: string}).problem,
})

/** a calendar day, `YYYY-MM-DD` */
export const day = z.string({error: 'must be a date written YYYY-MM-DD'}).refine((text) => dayProblem(text) === undefined, {
  error: (issue) => dayProblem(String(issue.input)),
})

/** a record's number in an answer */
export const no = z.number().int().positive()
