import {describe, expect, it} from 'vitest'

import {checkClaims} from '../../../src/services/claims.js'
import {contract} from '../../../src/contract/index.js'

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

  it('accepts claims that agree, null for none, and leaves out fields not sent', () => {
    expect(() => checkClaims({itemStatus: 'Rentable', itemPrice: 100, itemNo: 1, reservationNo: null}, item)).not.toThrow()
    expect(() => checkClaims({itemStatus: undefined}, item)).not.toThrow()
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

describe("the contract's inputs, on the original field names", () => {
  const newItem = contract.item.register.input
  it("turn HTTPie's digit strings into numbers; what is not the command's own stays, as claims", () => {
    const input = newItem.parse({itemName: 'Camera', itemPrice: '100', itemStatus: 'Rentable'})
    expect(input).toEqual({itemName: 'Camera', itemPrice: 100, itemStatus: 'Rentable'})
    const {itemName: _name, itemPrice: _price, ...claims} = input
    expect(claims).toEqual({itemStatus: 'Rentable'})
  })

  it('refuse unknown fields, statuses that do not exist, and non-numbers', () => {
    expect(newItem.safeParse({itemName: 'Camera', itemPrice: 1, colour: 'red'}).success).toBe(false)
    expect(newItem.safeParse({itemName: 'Camera', itemPrice: 1, itemStatus: 'Broken'}).success).toBe(false)
    expect(newItem.safeParse({itemName: 'Camera', itemPrice: 'ten'}).success).toBe(false)
    expect(newItem.safeParse({itemName: ' ', itemPrice: 1}).success).toBe(false)
  })

  it('parse again to the same input: the service parses what the gateway checked', () => {
    const sent = {reservationNo: '7', paymentTimeoutMs: '500', customerName: ' Kim '}
    const once = contract.reservation.pay.input.parse(sent)
    expect(contract.reservation.pay.input.parse(once)).toEqual(once)
    expect(contract.item.delete.input.parse({itemNo: '1', force: 'true'})).toEqual({itemNo: 1, force: true})
  })
})
