import {confirm, input, search, select} from '@inquirer/prompts'

import type {Terminal} from './terminal.js'

/** The real terminal: inquirer's prompts on stdin/stdout, and plain lines on stdout in between. */
export function inquirerTerminal(): Terminal {
  return {
    prompts: {select, search, input, confirm},
    say: (text) => process.stdout.write(`${text}\n`),
  }
}
