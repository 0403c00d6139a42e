// Complexity guards (linear, not quadratic) compare the time of two runs; they are not speed goals,
// which the benchmark measures.

/** The fastest of five runs, in ms: load on a shared machine only ever adds time, so the minimum is the least noisy figure. */
export function fastestMs(run: () => unknown): number {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    run();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}
