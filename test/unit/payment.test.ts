import {describe, expect, it} from 'vitest'

import {decidePayment, reactPayment, type PaymentCommand} from '../../src/services/payment/decide.js'
import {evolvePayment, initialPaymentState, latestPayment, type PaymentState} from '../../src/services/payment/payment.js'
import {
  camera,
  paymentApproved,
  paymentCancelled,
  refundRequested,
  registered,
  rented,
  reservationCancelled,
  reserved,
  specFor,
  tent,
} from './given.js'

const spec = specFor<PaymentState, PaymentCommand>({
  initialState: initialPaymentState,
  evolve: evolvePayment,
  decide: decidePayment,
  react: reactPayment,
})
const given = spec.given

const limit = 500
const approve = (reservationNo = 1, amount = camera.itemPrice, itemNo = camera.itemNo) =>
  ({type: 'approve', reservationNo, itemNo, amount, limit}) as const
const cancel = (reservationNo = 1) => ({type: 'cancel', reservationNo}) as const

describe('payment', () => {
  describe('when no payment is made', () => {
    it('approves the reservation amount as payment 1', () => {
      given()
        .when(approve(1, 100))
        .then([{type: 'PaymentApproved', data: {paymentNo: 1, reservationNo: 1, itemNo: 1, amount: 100}}])
    })

    it('approves an amount equal to the limit', () => {
      given()
        .when(approve(1, limit))
        .then([{type: 'PaymentApproved', data: {paymentNo: 1, reservationNo: 1, itemNo: 1, amount: 500}}])
    })

    it('declines an amount above the limit (exit 3 DECLINED)', () => {
      given()
        .when(approve(1, limit + 1))
        .thenThrows({code: 'DECLINED', exit: 3, message: '501 is above the limit of 500'})
    })

    it('refuses a late approve for a reservation already cancelled: no charge without a refund (exit 3)', () => {
      given(reservationCancelled(1)).when(approve()).thenThrows({code: 'RESERVATION_CANCELLED', exit: 3})
    })

    it('refuses to cancel a payment that does not exist (exit 4 PAYMENT_NOT_FOUND)', () => {
      given().when(cancel(3)).thenThrows({code: 'PAYMENT_NOT_FOUND', exit: 4, message: 'reservation 3 has no payment'})
    })

    it('does not refund anything when an unpaid reservation is cancelled', () => {
      given().whenEvent(reservationCancelled(1)).thenNothing()
    })

    it('keeps no state of the other services events', () => {
      const {state} = given(registered(), reserved(1), rented(1))
      expect(state).toEqual(initialPaymentState())
    })
  })

  describe('when paid', () => {
    const history = [paymentApproved(1, 1)]

    it('is Paid and is the latest payment of its reservation', () => {
      const {state} = given(...history)
      expect(latestPayment(state, 1)).toEqual({paymentNo: 1, reservationNo: 1, itemNo: 1, amount: 100, paymentStatus: 'Paid'})
      expect(latestPayment(state, 2)).toBeUndefined()
      expect(state.lastPaymentNo).toBe(1)
    })

    it('approves the same reservation again with no new event: never charged twice', () => {
      given(...history).when(approve(1)).thenNothing()
    })

    it('answers a retry with no event even when the limit has dropped below the amount', () => {
      given(...history).when({...approve(1), limit: 50}).thenNothing()
    })

    it('gives another reservation the next payment number', () => {
      given(...history)
        .when(approve(2, tent.itemPrice, tent.itemNo))
        .then([{type: 'PaymentApproved', data: {paymentNo: 2, reservationNo: 2, itemNo: 2, amount: 40}}])
    })

    it('cancels the payment (PaymentCancelled, the refund)', () => {
      given(...history)
        .when(cancel(1))
        .then([{type: 'PaymentCancelled', data: {paymentNo: 1, reservationNo: 1, itemNo: 1, amount: 100}}])
    })

    it('refunds the payment when its reservation is cancelled', () => {
      given(...history)
        .whenEvent(reservationCancelled(1, camera, 'itemDeleted'))
        .then([{type: 'PaymentCancelled', data: {paymentNo: 1, reservationNo: 1, itemNo: 1, amount: 100}}])
    })

    it('does not refund it when another reservation is cancelled', () => {
      given(...history).whenEvent(reservationCancelled(2, tent)).thenNothing()
    })

    it('reacts to no event but ReservationCancelled', () => {
      given(...history).whenEvent(rented(1)).thenNothing()
    })

    it('refunds a payment whose refund reservation began (RefundRequested), also when its call timed out', () => {
      given(...history)
        .whenEvent(refundRequested(1, 1))
        .then([{type: 'PaymentCancelled', data: {paymentNo: 1, reservationNo: 1, itemNo: 1, amount: 100}}])
    })

    it('ignores a RefundRequested for another payment than this one', () => {
      given(...history).whenEvent(refundRequested(1, 9)).thenNothing()
    })
  })

  describe('when paid and cancelled', () => {
    const history = [paymentApproved(1, 1), paymentCancelled(1, 1)]

    it('is Cancelled', () => {
      expect(latestPayment(given(...history).state, 1)?.paymentStatus).toBe('Cancelled')
    })

    it('cancels again with no new event: the refund is idempotent', () => {
      given(...history).when(cancel(1)).thenNothing()
    })

    it('does not refund twice when the reservation is cancelled afterwards', () => {
      given(...history).whenEvent(reservationCancelled(1)).thenNothing()
    })

    it('approves a new payment for the same reservation, with a new number', () => {
      given(...history)
        .when(approve(1))
        .then([{type: 'PaymentApproved', data: {paymentNo: 2, reservationNo: 1, itemNo: 1, amount: 100}}])
    })

    it('then treats the new payment as the live one', () => {
      const {state} = given(...history, paymentApproved(2, 1))
      expect(latestPayment(state, 1)).toMatchObject({paymentNo: 2, paymentStatus: 'Paid'})
      expect(state.payments[1].paymentStatus).toBe('Cancelled')
    })

    it('ignores the cancellation of a payment it never made', () => {
      const {state} = given(...history, paymentCancelled(9, 4))
      expect(Object.keys(state.payments)).toEqual(['1'])
    })
  })
})
