/**
 * Whether runs are using Docker right now: each sandbox operation (a command, an archive in
 * or out) is counted while it lasts. The warm pool makes its containers only once runs have
 * left Docker alone for `quietMs` (while their agents wait on their models, between runs), so
 * a refill never competes with a run's own work for the daemon and the CPU; a run that keeps
 * Docker busy for `maxWaitMs` does not keep the pool empty for ever.
 */
export interface DockerActivity {
  /** An operation starts; call the result when it ends (idempotent). */
  begin(): () => void;
  /** Resolves once nothing has run for `quietMs`, or after `maxWaitMs` at the latest, or at once when `signal` aborts. */
  quiet(quietMs: number, maxWaitMs: number, signal?: AbortSignal): Promise<void>;
}

export function createDockerActivity(): DockerActivity {
  let running = 0;
  let lastEnd = 0;
  let waiters: (() => void)[] = [];

  return {
    begin() {
      running += 1;
      let ended = false;
      return () => {
        if (ended) return;
        ended = true;
        running -= 1;
        lastEnd = performance.now();
        if (running === 0) {
          const woken = waiters;
          waiters = [];
          woken.forEach((wake) => wake());
        }
      };
    },
    async quiet(quietMs, maxWaitMs, signal) {
      const deadline = performance.now() + maxWaitMs;
      for (;;) {
        const now = performance.now();
        if (now >= deadline || signal?.aborted) return;
        if (running === 0 && now - lastEnd >= quietMs) return;
        // Wait for the running operations to end, or for the quiet time to pass, never past the deadline.
        const wait = running === 0 ? quietMs - (now - lastEnd) : deadline - now;
        await new Promise<void>((resolve) => {
          // Unreferenced: a wait for quiet does not keep a process alive (its close aborts the wait).
          const timer = setTimeout(done, Math.min(wait, deadline - now));
          timer.unref();
          signal?.addEventListener('abort', done, { once: true });
          if (running > 0) waiters.push(done);
          function done() {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
          }
        });
      }
    },
  };
}
