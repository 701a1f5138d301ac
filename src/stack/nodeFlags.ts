/**
 * Node flags for the stack's long-running processes (the supervisor and every daemon). V8 lets a
 * young generation grow to 16 MB semi-spaces, which an idle daemon never needs back: with 1 MB
 * the stack's idle RSS was 370 MB instead of 432 MB here, and 415–428 MB instead of 551 MB after a
 * load run, with the same rental cycles/s (within the runs' noise). Measured and left out:
 * --single-threaded (−20 MB more, but `up` +80 ms and ~10 % fewer cycles/s) and --lite-mode
 * (306 MB, half the cycles/s).
 *
 * Measured again with the smaller bundles (docs/performance.md, "Memory"), 400 rental cycles at
 * concurrency 8, all five processes: semi-space 1 MB: 383 MB after the load, ~640 scavenges, GC
 * pauses 0.4–1.1 s in all; 2 MB: 390 MB, ~315, 0.4–0.7 s; V8's default: 434 MB, ~115, 0.3–0.5 s;
 * cycles/s alike within the noise (±25 %, two shared cores). 1 MB stays. Idle, none of
 * --optimize-for-size, --single-threaded-gc, --v8-pool-size=1 or MALLOC_ARENA_MAX=2 moved the
 * stack's RSS by more than 1.5 MB; --single-threaded-gc halved the GC pauses on this oversubscribed
 * machine but saves no memory.
 *
 * --single-threaded-gc is taken after all: the stack is five processes on a few cores, where V8's
 * parallel scavenges (one every few hundred KB with 1 MB semi-spaces) wake helper threads that
 * compete with the other processes for the same cores; without them the stack made 10 futex calls
 * a rental cycle instead of 28 (docs/performance.md#syscalls-per-rental-cycle), and its GC pauses
 * were half as long here.
 */
export const STACK_NODE_FLAGS = ['--max-semi-space-size=1', '--single-threaded-gc']
