/** The CLI's bundle entry (bin/run.js): oclif, every command and our oclif hooks, in one file (dist/bundle/cli/main.js). */
export {COMMANDS} from './index.js'
export {execute} from '../cli/execute.js'
export {NOT_FOUND} from '../cli/unknownCommand.js'
