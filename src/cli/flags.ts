import {Flags} from '@oclif/core'

import {textProblem} from '../text.js'

/** A name or customer field's flag parser, checking it here as the gateway will: printable, not empty, at most 200 characters. */
export const parseText = async (input: string): Promise<string> => {
  const problem = textProblem(input)
  if (problem) throw new Error(problem)
  return input.trim()
}

/** Flags more than one command takes. */
export const paymentTimeoutFlag = {
  'payment-timeout-ms': Flags.integer({
    description: 'how long to wait for the payment system this once, 100 to 60000 (default: setting paymentTimeoutMs, 610)',
    min: 100,
    max: 60_000,
  }),
}

/** `--wide`, for every command that prints a table (docs/commands.md#tables-and-the-terminal). */
export const wideFlag = {
  wide: Flags.boolean({description: 'every column, nothing cut short (default: fit the terminal; 80 columns, or $COLUMNS, when not one)'}),
}

/** `--wide` and `--columns`, for a command that prints one table. */
export const tableFlags = {
  ...wideFlag,
  columns: Flags.string({
    description: 'only these columns, in this order, by their headers (e.g. `--columns #,item,status`)',
    multiple: true,
    delimiter: ',',
  }),
}
