/** The CLI's bundle entry (bin/run.js): oclif and every command, in one file. */
export {execute} from '@oclif/core'
export {COMMANDS} from './commands.js'
