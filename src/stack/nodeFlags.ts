/**
 * Node flags for the stack's long-running processes (the supervisor and every daemon). V8 lets a
 * young generation grow to 16 MB semi-spaces, which an idle daemon never needs back: with 1 MB
 * the stack's idle RSS was 370 MB instead of 432 MB here, and 415–428 MB instead of 551 MB after a
 * load run, with the same rental cycles/s (within the runs' noise). Measured and left out:
 * --single-threaded (−20 MB more, but `up` +80 ms and ~10 % fewer cycles/s) and --lite-mode
 * (306 MB, half the cycles/s).
 */
export const STACK_NODE_FLAGS = ['--max-semi-space-size=1']
