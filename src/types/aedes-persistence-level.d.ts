// aedes-persistence-level ships no types; gdmarket only constructs its async persistence
declare module 'aedes-persistence-level/asyncPersistence.js' {
  import type {AbstractLevel} from 'abstract-level'

  export default class AsyncLevelPersistence {
    constructor(db: AbstractLevel<string | Buffer | Uint8Array, string, Buffer>)
  }
}
