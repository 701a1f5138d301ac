/**
 * Entry point of the detached supervisor process started by up:
 * `main.js <data-dir> [port] [httpPort]`. It reports the outcome of the start over IPC, then lets go.
 */
import {runStack} from './stack.js'

const [root, port, httpPort] = process.argv.slice(2)
const asPort = (text: string | undefined) => (text === undefined ? undefined : Number(text))
try {
  let failed: Promise<void> | undefined
  await runStack(root, {port: asPort(port), httpPort: asPort(httpPort)}, (outcome) => {
    const sent = new Promise<void>((resolve) => (process.send ? process.send(outcome, undefined, undefined, () => resolve()) : resolve()))
    // `up` has its answer: it may exit now without taking us down
    if (outcome.type === 'ready') process.disconnect?.()
    else failed = sent
  })
  // a start that failed (a port in use) has said why, once `up` has it: nothing is left to run
  if (failed) await failed.then(() => process.exit(1))
} catch (error) {
  process.send?.({type: 'failed', message: (error as Error).message})
  console.error(error)
  process.exit(1)
}
