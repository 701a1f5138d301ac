import {describe, expect, it} from 'vitest'

import {withoutCommandLines} from '../../../src/wizard/attempt.js'

describe('a refusal in the wizard: the reason, without the command lines the services add for the CLI', () => {
  it.each([
    ['item 1 is already reserved (reservation 1); pick a Rentable one from `gdmarket view`', 'item 1 is already reserved (reservation 1)'],
    ['reservation 3 is not paid; pay with `gdmarket pay 3`', 'reservation 3 is not paid'],
    ['the payment service is stopped; start it with `gdmarket service start payment` (see `gdmarket status`)', 'the payment service is stopped'],
    ['reservation 2 is Cancelled; nothing more can happen to it (reserve item 1 again with `gdmarket reserve 1 --customer NAME`)', 'reservation 2 is Cancelled; nothing more can happen to it'],
    ['the item service is errored: boom; fix it (`gdmarket logs item`), then `gdmarket service start item`', 'the item service is errored: boom'],
    // no command line: as it is
    ['payment declined: 900 is above the limit of 500 (setting paymentLimit)', 'payment declined: 900 is above the limit of 500 (setting paymentLimit)'],
    ['payment system busy (no answer within 610 ms) for reservation 1; try again later (paying again is safe: never a second charge)', 'payment system busy (no answer within 610 ms) for reservation 1; try again later (paying again is safe: never a second charge)'],
  ])('%s', (message, said) => {
    expect(withoutCommandLines(message)).toBe(said)
  })
})
