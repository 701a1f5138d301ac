// @ts-check
/**
 * A helper process's side of its channel to the bench (bench/forked.mjs is the bench's side). Kept
 * apart so that a helper loads nothing of the bench.
 */

/**
 * The helper's side: answers the parent's questions with `answers[ask]()`, and runs `onGone`
 * once the parent has closed the channel (or died).
 * @param {Record<string, () => unknown>} answers @param {() => Promise<void>} onGone
 */
export function serveParent(answers, onGone) {
  process.on('message', async (/** @type {any} */ m) => {
    const answer = answers[m?.ask]
    try {
      if (!answer) throw new Error(`no answer to "${m?.ask}"`)
      process.send?.({id: m.id, answer: await answer()})
    } catch (error) {
      process.send?.({id: m?.id, error: /** @type {Error} */ (error).message})
    }
  })
  process.once('disconnect', () => void onGone().finally(() => process.exit(0)))
}
