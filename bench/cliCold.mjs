// @ts-check
/**
 * The CLI as a new process: wall time of `gdmarket item show N` (against the running stack)
 * beside `node -e ''`, spawned alternately so a busy moment hits both alike.
 */
import {cleanEnv, runCli, runProcess} from './stacks.mjs'
import {median, round} from './stats.mjs'

/** @param {string} dataDir @param {number} itemNo @param {number} runs of each */
export async function measureCli(dataDir, itemNo, runs) {
  const node = () => runProcess(process.execPath, ['-e', ''], {env: cleanEnv(), timeoutMs: 30_000})
  const cli = () => runCli(['item', 'show', String(itemNo), '--data-dir', dataDir], {timeoutMs: 30_000})
  // one of each first, not counted: the files they read are in the page cache afterwards
  await node()
  await cli()
  const nodeMs = []
  const cliMs = []
  for (let i = 0; i < runs; i++) {
    nodeMs.push((await node()).ms)
    const run = await cli()
    if (run.code !== 0) throw new Error(`gdmarket item show ${itemNo} exited ${run.code}: ${run.stderr.trim()}`)
    cliMs.push(run.ms)
  }
  const nodeMedianMs = round(median(nodeMs), 1)
  const cliMedianMs = round(median(cliMs), 1)
  return {command: `gdmarket item show ${itemNo}`, runs, nodeMedianMs, cliMedianMs, ratio: round(cliMedianMs / nodeMedianMs)}
}
