// Preloaded into every process of a stack by `npm run bench -- --cpu-prof DIR`, through
// NODE_OPTIONS=--require (node refuses --cpu-prof itself in NODE_OPTIONS, and the supervisor forks
// its daemons without execArgv): profiles the whole life of the process with the in-process
// inspector and writes CPU.<pid>.cpuprofile into $GDMARKET_BENCH_PROFILE_DIR when it exits.
// (An in-process inspector session answers synchronously, so this works in an 'exit' handler.)
'use strict'
const {writeFileSync} = require('node:fs')
const inspector = require('node:inspector')
const path = require('node:path')

const dir = process.env.GDMARKET_BENCH_PROFILE_DIR
if (dir) {
  const session = new inspector.Session()
  session.connect()
  session.post('Profiler.enable')
  session.post('Profiler.setSamplingInterval', {interval: 500}) // µs; node --cpu-prof's default is 1000
  session.post('Profiler.start')
  process.on('exit', () => {
    session.post('Profiler.stop', (error, result) => {
      if (!error) writeFileSync(path.join(dir, `CPU.${process.pid}.cpuprofile`), JSON.stringify(result.profile))
    })
  })
}
