/**
 * Preloaded into both servers by test/bench/server.ts (with --expose-gc): a full collection on
 * SIGUSR2, so their resident memory is compared after garbage collection, not at a random
 * point of the collector's schedule.
 */
process.on('SIGUSR2', () => (globalThis as { gc?: () => void }).gc?.());
