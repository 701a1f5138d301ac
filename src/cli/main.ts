/** The CLI's bundle entry (bin/run.js): oclif, every command and our oclif hooks, in one file. */
export {execute} from '@oclif/core'
export {COMMANDS} from './commands.js'
export {NOT_FOUND} from './unknownCommand.js'
