// @ts-check
/**
 * The bench's helper processes (the limit's broker and responders, the Moleculer peer's nodes):
 * each forked with an IPC channel, ready when it says so, asked things over that channel, and
 * stopped by closing it — SIGKILL for one that has not exited 3 s later.
 */
import {fork} from 'node:child_process'

import {cleanEnv} from './stacks.mjs'

/** how long a helper may take to exit once its channel is closed */
const STOP_MS = 3000

export class Forked {
  /** @param {import('node:child_process').ChildProcess} child @param {string} label @param {any} ready what it said when it was ready */
  constructor(child, label, ready) {
    this.child = child
    this.label = label
    this.ready = ready
    this.asked = 0
  }

  /**
   * Forks `script args` and waits until it sends its first message (its "ready").
   * @param {string} script a path @param {string[]} args
   * @param {{label: string, env?: Record<string, string>, readyMs?: number}} options env: added to the clean environment
   */
  static start(script, args, {label, env = {}, readyMs = 30_000}) {
    const child = fork(script, args, {env: cleanEnv(env), stdio: ['ignore', 'ignore', 'inherit', 'ipc']})
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL')
        reject(new Error(`the ${label} helper was not ready within ${readyMs} ms`))
      }, readyMs)
      child.once('message', (/** @type {any} */ m) => (clearTimeout(timer), resolve(new Forked(child, label, m))))
      child.once('exit', (code, signal) => (clearTimeout(timer), reject(new Error(`the ${label} helper exited (${code ?? signal}) before it was ready`))))
    }).then((forked) => /** @type {Forked} */ (forked))
  }

  get pid() {
    return /** @type {number} */ (this.child.pid)
  }

  /**
   * Asks the helper something over IPC: it answers `{id, answer}` or `{id, error}`.
   * @param {string} ask @param {number} [timeoutMs]
   * @returns {Promise<any>}
   */
  request(ask, timeoutMs = 30_000) {
    const id = ++this.asked
    return new Promise((resolve, reject) => {
      const onMessage = (/** @type {any} */ m) => {
        if (m?.id !== id) return
        done()
        if (m.error) reject(new Error(`${this.label}: ${m.error}`))
        else resolve(m.answer)
      }
      const onExit = () => (done(), reject(new Error(`the ${this.label} helper exited while asked "${ask}"`)))
      const timer = setTimeout(() => (done(), reject(new Error(`the ${this.label} helper did not answer "${ask}" within ${timeoutMs} ms`))), timeoutMs)
      const done = () => {
        clearTimeout(timer)
        this.child.off('message', onMessage)
        this.child.off('exit', onExit)
      }
      this.child.on('message', onMessage)
      this.child.once('exit', onExit)
      this.child.send({id, ask})
    })
  }

  /** Closes its channel (it stops by itself then) and waits for it to exit; SIGKILL after STOP_MS. */
  async stop() {
    const child = this.child
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    if (child.connected) child.disconnect()
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_MS)
    await exited
    clearTimeout(timer)
  }
}
