import {z} from 'zod'

/**
 * What a person can do about a refusal, as data (docs/architecture.md#refusals-are-data): a
 * command of the contract table (`service.command`, with its input) or one of the operator's.
 * The services and the stack say only this; each edge renders it in its own terms: the CLI as a
 * `gdmarket …` line with the --data-dir in use, the gateway as the HTTP request, the wizard as
 * where to go in its menus.
 */
export type NextStep =
  | {command: 'item.list'}
  | {command: 'item.register'}
  | {command: 'item.return'; itemNo: number}
  | {command: 'item.delete'; itemNo: number; force: true}
  | {command: 'reservation.reserve'; itemNo: number}
  | {command: 'reservation.list'}
  | {command: 'reservation.pay'; reservationNo: number}
  | {command: 'payment.list'}
  | {command: 'view.list'}
  | {command: 'status'}
  | {command: 'events'}
  | {command: 'logs'; service: string}
  | {command: 'service.start'; service: string}
  | {command: 'service.restart'; service: string}
  | {command: 'service.stop'; service: string}
  | {command: 'store.recover'; service: string}
  | {command: 'store.migrate'; service: string; to: string}
  | {command: 'token'}
  | {command: 'config.set'; key: string}
  | {command: 'up'}

export type NextCommand = NextStep['command']

/** A next step as it crosses the broker or HTTP: checked for its shape, rendered only when its edge knows the command. */
export const nextStepSchema = z.looseObject({command: z.string()}).transform((step) => step as NextStep)
