import {z} from 'zod'

import {MAX_NUMBER, MAX_TEXT, textProblem} from '../../text.js'

/**
 * The HTTP bodies the gateway takes, on the original system's field names. The same schemas check
 * a body and describe it in /openapi.json. Fields beyond a command's own are claims: they travel
 * to the service, which compares them with its facts (src/services/claims.ts).
 *
 * HTTPie's `itemPrice=100` sends the string "100"; the original's Jackson turned such strings into
 * numbers, so whole-number fields accept digits as text too.
 */
const WHOLE = `must be a whole number from 1 to ${MAX_NUMBER}`
/** a whole number ≥ 1, also as digits in text; the input schema says exactly that in /openapi.json */
const positive = z
  .union([z.number({error: WHOLE}).int({error: WHOLE}).min(1, {error: WHOLE}).max(MAX_NUMBER, {error: WHOLE}), z.string().regex(/^\s*0*[1-9]\d{0,14}\s*$/, {error: WHOLE})], {error: WHOLE})
  .transform(Number)
/**
 * Names and customer fields: printable text of at most MAX_TEXT characters, by the CLI's and the
 * wizard's rule (src/text.ts), whose message names the character; `max` and the pattern say what
 * they can of it in /openapi.json.
 */
const text = z
  .string({error: 'must be text'})
  .max(MAX_TEXT, {error: `must be at most ${MAX_TEXT} characters`})
  .regex(/\S/, {error: 'must not be empty'})
  .refine((s) => textProblem(s) === undefined, {error: (issue) => textProblem(issue.input as string)})
  .transform((s) => s.trim())
const claim = <T extends z.ZodType>(schema: T) => schema.optional()

/** one of a few words, said so (zod's own: "Invalid option: expected one of …") */
const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, {error: `must be one of: ${values.join(', ')}`})
const itemStatus = oneOf(['Rentable', 'NotRentable'])
const rentalStatus = oneOf(['NotRenting', 'Renting', 'Returned'])
const paymentStatus = oneOf(['NotPaid', 'Paid'])
const reservationStatus = oneOf(['Reserved', 'Cancelled', 'Completed'])

export const newItemBody = z.strictObject({
  itemName: text,
  itemPrice: positive,
  itemStatus: claim(itemStatus),
  rentalStatus: claim(rentalStatus),
  reservationNo: claim(z.null()),
})

/** `rentalStatus=Renting` lends, `rentalStatus=Returned` returns. */
export const itemPatchBody = z.strictObject({
  rentalStatus: oneOf(['Renting', 'Returned']),
  itemNo: claim(positive),
  itemName: claim(text),
  itemPrice: claim(positive),
  itemStatus: claim(itemStatus),
  reservationNo: claim(positive),
})

export const newReservationBody = z.strictObject({
  itemNo: positive,
  customerName: text,
  /** the renter's id; the CLI's default is the name */
  customerId: text.optional(),
  itemName: claim(text),
  itemPrice: claim(positive),
  reservationStatus: claim(reservationStatus),
  paymentStatus: claim(paymentStatus),
  rentalStatus: claim(rentalStatus),
})

/** One change at a time: pay (`Paid`), cancel the payment (`NotPaid`), or cancel (`reservationStatus=Cancelled`). */
export const reservationPatchBody = z
  .strictObject({
    paymentStatus: paymentStatus.optional(),
    reservationStatus: z.literal('Cancelled').optional(),
    /** how long to wait for payment this once (the CLI's --payment-timeout-ms), 100 ms to 60 s: the breaker is everyone's */
    paymentTimeoutMs: positive.pipe(z.number().min(100, {error: 'must be at least 100 (ms)'}).max(60_000, {error: 'must be at most 60000 (ms)'})).optional(),
    reservationNo: claim(positive),
    itemNo: claim(positive),
    itemName: claim(text),
    itemPrice: claim(positive),
    customerName: claim(text),
    customerId: claim(text),
    rentalStatus: claim(rentalStatus),
  })
  .refine((b) => (b.paymentStatus === undefined) !== (b.reservationStatus === undefined), {
    message: 'send paymentStatus (Paid or NotPaid) or reservationStatus=Cancelled, one of them',
  })

/** The fields of a body that are not the command's own: what the client says about the facts. */
export function claimsOf(body: Record<string, unknown>, own: readonly string[]): Record<string, string | number | null> {
  return Object.fromEntries(Object.entries(body).filter(([field, value]) => !own.includes(field) && value !== undefined)) as Record<
    string,
    string | number | null
  >
}
