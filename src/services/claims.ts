import {refused} from '../errors.js'

/**
 * What a client says about a thing besides its command: the original system's clients send the
 * statuses, name and price they believe in (`itemStatus=Rentable` on register, `itemPrice` on
 * reserve). The contract parses them with the command (src/contract/); they are never taken as
 * facts. A claim that agrees with the thing as the command leaves it is accepted; one that
 * contradicts is refused (exit 3, HTTP 409) naming the field, and nothing changes.
 */
export type Claims = Readonly<Record<string, unknown>>

/** Throws a refusal naming the first claim that contradicts the facts; a claim about an unknown field contradicts too. */
export function checkClaims(claims: Claims, facts: object): void {
  for (const [field, claimed] of Object.entries(claims)) {
    if (claimed === undefined) continue
    const fact = Object.hasOwn(facts, field) ? (facts as Record<string, unknown>)[field] : undefined
    if (claimed === fact) continue
    throw refused(
      'CONTRADICTS_FACTS',
      `${field} is ${JSON.stringify(fact ?? null)}, not ${JSON.stringify(claimed)}; leave ${field} out or send what is true`,
    )
  }
}
