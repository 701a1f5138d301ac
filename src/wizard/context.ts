import type {Market} from '../cli/market.js'
import type {Terminal} from './terminal.js'

/** Who the renter said they are, remembered for the session so later questions offer it as the default. */
export interface Session {
  customerName?: string
  customerId?: string
}

/** What every wizard flow works with: the terminal it asks on, the market it sends requests to. */
export interface WizardContext {
  terminal: Terminal
  market: Market
  session: Session
}
