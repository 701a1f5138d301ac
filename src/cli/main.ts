/** The CLI's bundle entry (bin/run.js): oclif, every command and our oclif hooks, in one file. */
export {COMMANDS} from './commands.js'
export {execute} from './execute.js'
export {NOT_FOUND} from './unknownCommand.js'
