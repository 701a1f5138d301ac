/**
 * The names of the market's events and who publishes each (docs/architecture.md): plain data, so
 * the CLI can name them without loading the schemas of src/bus/events.ts.
 */
export const eventTypes = [
  'ItemRegistered',
  'ItemDeleted',
  'ItemRented',
  'ItemReturned',
  'Reserved',
  'ReservationCancelled',
  'RentalStarted',
  'RefundRequested',
  'PaymentApproved',
  'PaymentCancelled',
] as const
export type EventType = (typeof eventTypes)[number]

/** Which service publishes which events. */
export const eventSource: Record<EventType, 'item' | 'reservation' | 'payment'> = {
  ItemRegistered: 'item',
  ItemDeleted: 'item',
  ItemRented: 'item',
  ItemReturned: 'item',
  Reserved: 'reservation',
  ReservationCancelled: 'reservation',
  RentalStarted: 'reservation',
  RefundRequested: 'reservation',
  PaymentApproved: 'payment',
  PaymentCancelled: 'payment',
}
