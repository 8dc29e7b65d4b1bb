/**
 * Time slices for long synchronous stretches: a run of pure steps resolves every await in a
 * microtask, so without a pause it would hold the event loop (other requests, timers, I/O)
 * until it ends. `slice()` answers null while the current slice is young, and once it has
 * lasted `sliceMs` a pause that every caller shares (concurrent runs all step aside) until
 * the event loop has had a turn (setImmediate runs after pending I/O).
 */
export function eventLoopSlicer(sliceMs = 20): () => Promise<void> | null {
  let sliceStart = performance.now();
  let pause: Promise<void> | null = null;
  return () => {
    if (pause) return pause;
    if (performance.now() - sliceStart < sliceMs) return null;
    pause = new Promise<void>((resolve) =>
      setImmediate(() => {
        pause = null;
        sliceStart = performance.now();
        resolve();
      }),
    );
    return pause;
  };
}
