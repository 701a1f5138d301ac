#!/usr/bin/env node
// The CLI runs from one bundle of oclif and every command (scripts/bundle.mjs): a new process
// loads one file instead of ~300 modules.
const {execute} = await import('../dist/bundle/cli/main.js')
await execute({dir: import.meta.url})
