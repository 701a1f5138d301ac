import {describe, expect, it} from 'vitest'

import {checkClaims} from '../../../src/services/claims.js'
import {claimsOf, newItemBody, reservationPatchBody} from '../../../src/stack/gateway/bodies.js'

const refusal = (f: () => void) => {
  try {
    f()
  } catch (error) {
    return error as {code: string; message: string; exit: number}
  }
  throw new Error('expected a refusal')
}

describe('claims: what a client says about the facts', () => {
  const item = {itemNo: 1, itemName: 'Camera', itemPrice: 100, itemStatus: 'Rentable', reservationNo: null}

  it('accepts claims that agree, also numbers sent as text (HTTPie) and null for none', () => {
    expect(() => checkClaims({itemStatus: 'Rentable', itemPrice: '100', itemNo: 1, reservationNo: null}, item)).not.toThrow()
    expect(() => checkClaims(undefined, item)).not.toThrow()
  })

  it('refuses the first claim that contradicts a fact (exit 3), naming the field and the fact', () => {
    expect(refusal(() => checkClaims({itemStatus: 'Rentable', itemPrice: 90}, item))).toMatchObject({
      code: 'CONTRADICTS_FACTS',
      exit: 3,
      message: 'itemPrice is 100, not 90; leave itemPrice out or send what is true',
    })
    expect(refusal(() => checkClaims({reservationNo: 4}, item)).message).toMatch(/^reservationNo is null, not 4/)
    expect(refusal(() => checkClaims({colour: 'red'}, item)).message).toMatch(/^colour is null/) // no such fact
  })
})

describe('HTTP bodies on the original field names', () => {
  it("turn HTTPie's digit strings into numbers, and keep what is not the command's own as claims", () => {
    const body = newItemBody.parse({itemName: 'Camera', itemPrice: '100', itemStatus: 'Rentable'})
    expect(body).toEqual({itemName: 'Camera', itemPrice: 100, itemStatus: 'Rentable'})
    expect(claimsOf(body, ['itemName', 'itemPrice'])).toEqual({itemStatus: 'Rentable'})
  })

  it('refuse unknown fields, statuses that do not exist, and non-numbers', () => {
    expect(newItemBody.safeParse({itemName: 'Camera', itemPrice: 1, colour: 'red'}).success).toBe(false)
    expect(newItemBody.safeParse({itemName: 'Camera', itemPrice: 1, itemStatus: 'Broken'}).success).toBe(false)
    expect(newItemBody.safeParse({itemName: 'Camera', itemPrice: 'ten'}).success).toBe(false)
    expect(newItemBody.safeParse({itemName: ' ', itemPrice: 1}).success).toBe(false)
  })

  it('a reservation PATCH changes one thing: a payment status or the reservation status', () => {
    expect(reservationPatchBody.safeParse({paymentStatus: 'Paid'}).success).toBe(true)
    expect(reservationPatchBody.safeParse({reservationStatus: 'Cancelled'}).success).toBe(true)
    expect(reservationPatchBody.safeParse({paymentStatus: 'Paid', reservationStatus: 'Cancelled'}).success).toBe(false)
    expect(reservationPatchBody.safeParse({}).success).toBe(false)
  })
})
