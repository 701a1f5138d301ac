/**
 * Entry point of the detached supervisor process started by `gdmarket up`:
 * `main.js <data-dir> [port] [httpPort]`. It reports the outcome of the start over IPC, then lets go.
 */
import {runStack} from './stack.js'

const [root, port, httpPort] = process.argv.slice(2)
const asPort = (text: string | undefined) => (text === undefined ? undefined : Number(text))
try {
  await runStack(root, {port: asPort(port), httpPort: asPort(httpPort)}, (outcome) => {
    process.send?.(outcome)
    // `up` has its answer: it may exit now without taking us down
    if (outcome.type === 'ready') process.disconnect?.()
  })
} catch (error) {
  process.send?.({type: 'failed', message: (error as Error).message})
  console.error(error)
  process.exit(1)
}
