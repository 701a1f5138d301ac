/**
 * A state as a decider reads it: read-only all the way down. A decision only reads; the runtime
 * evolves the store's state after it (docs/architecture.md#each-service).
 */
export type ReadView<T> = {readonly [K in keyof T]: T[K] extends object ? ReadView<T[K]> : T[K]}

/**
 * A state as `evolve` changes it: in place (the entries of its maps replaced, never edited), by
 * the runtime alone, inside the service's mailbox, after a decision and never shared with its
 * retry. Copying maps of 100k entries for every event made each event cost O(size).
 */
export type Mutable<T> = T
