/** Defaults that the CLI's fast path needs without loading the settings' schemas (src/config.ts). */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000
