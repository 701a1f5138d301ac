/**
 * Runs the tasks of one key one at a time, in the order they were handed in; different keys run
 * side by side. A service's mailbox orders single decisions; this orders the commands that span a
 * call to another service (pay, refund, lend), so two of them on one reservation or one item can
 * never interleave (docs/guarantees.md#one-owner-per-decision). A key is forgotten once idle.
 */
export class KeyedMailbox<K> {
  private readonly tails = new Map<K, Promise<unknown>>()

  run<T>(key: K, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task)
    const tail = result.then(
      () => {},
      () => {},
    )
    this.tails.set(key, tail)
    void tail.then(() => this.tails.get(key) === tail && this.tails.delete(key))
    return result
  }

  /** keys with work queued or running: for tests */
  get size(): number {
    return this.tails.size
  }
}
