/** The CLI's bundle entry (bin/run.js): oclif, every command and our oclif hooks, in one CommonJS file (dist/bundle/cli/main.cjs). */
export {COMMANDS} from './index.js'
export {execute} from '../cli/execute.js'
export {NOT_FOUND} from '../cli/unknownCommand.js'
