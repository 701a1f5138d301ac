#!/usr/bin/env node
// The read commands' plain form (`gdmarket item show 3 --json`) is served without oclif, mqtt.js
// or zod (src/fast/fastPath.ts); everything else, help included, is oclif's.
const {fastPath} = await import('../dist/fast/fastPath.js')
if (!(await fastPath(process.argv.slice(2)))) {
  const {execute} = await import('@oclif/core')
  await execute({dir: import.meta.url})
}
