/**
 * Runs tasks one at a time in the order they were handed in. Every read and change of a
 * service's state goes through its mailbox, so a request sees every event that arrived before it
 * (the basis of read-your-writes) and concurrent commands cannot both win a race.
 */
export class Mailbox {
  private tail: Promise<unknown> = Promise.resolve()

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task)
    this.tail = result.catch(() => {})
    return result
  }

  /** resolves when everything handed in so far is done */
  idle(): Promise<void> {
    return this.run(() => {})
  }
}
