import {GdCommand} from '../cli/base.js'
import {numberArg, paymentTimeoutFlag, tableFlags} from '../cli/flags.js'
import {paymentsTable} from '../cli/tables.js'
import type {Payment} from '../contract/records.js'

export default class Pay extends GdCommand<typeof Pay> {
  static override description = 'Pay for a reservation (paying again answers with the same payment, never a second charge)'
  static override examples = ['<%= config.bin %> pay 1']
  static override args = {reservationNo: numberArg('RESNO', 'reservation number')}
  static override flags = {...paymentTimeoutFlag, ...tableFlags}

  async run(): Promise<Payment> {
    const {reservationNo} = this.args
    const {alreadyPaid, ...payment} = (await this.market.reservation.pay({reservationNo, paymentTimeoutMs: this.flags['payment-timeout-ms']})).payment
    // paying twice is safe, but not silent: the person may think they paid twice. The record stays
    // the same payment, also with --json (docs/commands.md): the note is on stderr
    if (alreadyPaid) this.note(`already paid (payment ${payment.paymentNo}); nothing was charged again`)
    return this.show(payment, (p, layout) => paymentsTable([p], layout))
  }
}
