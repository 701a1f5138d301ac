import {GdCommand} from '../../cli/base.js'
import {numberArg, paymentTimeoutFlag, tableFlags} from '../../cli/flags.js'
import {paymentsTable} from '../../cli/tables.js'
import type {Payment} from '../../contract/records.js'

export default class PaymentCancel extends GdCommand<typeof PaymentCancel> {
  static override description = "Cancel (refund) a reservation's payment before lending; the item stays reserved"
  static override examples = ['<%= config.bin %> payment cancel 1']
  static override args = {reservationNo: numberArg('RESNO', 'reservation number')}
  static override flags = {...paymentTimeoutFlag, ...tableFlags}

  async run(): Promise<Payment> {
    const {reservationNo} = this.args
    const {payment} = await this.market.reservation.cancelPayment({reservationNo, paymentTimeoutMs: this.flags['payment-timeout-ms']})
    return this.show(payment, (p, layout) => paymentsTable([p], layout))
  }
}
