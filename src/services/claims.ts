import {z} from 'zod'

import {refused} from '../errors.js'

/**
 * What a client says about a thing besides its command: the original system's clients send the
 * statuses, name and price they believe in (`itemStatus=Rentable` on register, `itemPrice` on
 * reserve). They are never taken as facts; a claim that agrees is accepted, one that contradicts
 * the service's facts is refused (exit 3, HTTP 409) naming the field.
 */
export const claimsSchema = z.record(z.string(), z.union([z.string(), z.number(), z.null()])).optional()
export type Claims = NonNullable<z.infer<typeof claimsSchema>>

/** A claim agrees when it is the fact, or its text (HTTPie sends `itemPrice=100` as "100"). */
const agrees = (claimed: string | number | null, fact: unknown): boolean =>
  claimed === fact || (claimed !== null && typeof fact === 'number' && String(claimed).trim() === String(fact))

/** Throws a refusal naming the first claim that contradicts the facts; a claim about an unknown field contradicts too. */
export function checkClaims(claims: Claims | undefined, facts: object): void {
  for (const [field, claimed] of Object.entries(claims ?? {})) {
    const fact = Object.hasOwn(facts, field) ? (facts as Record<string, unknown>)[field] : undefined
    if (agrees(claimed, fact)) continue
    throw refused(
      'CONTRADICTS_FACTS',
      `${field} is ${JSON.stringify(fact ?? null)}, not ${JSON.stringify(claimed)}; leave ${field} out or send what is true`,
    )
  }
}
