// How long the event loop of this process's main thread was held: a timer every `intervalMs`
// measures how late it fires (late: wall-clock time it was held back) and how much of that the
// main thread spent on the CPU (busy: Linux's per-thread counters, 10 ms ticks, at most the
// late time). A synchronous stretch of the event loop shows in both; a machine too loaded to
// schedule the process, or work on other threads, only in `late`. Plain JavaScript, so a
// process without tsx can preload it (loop-sampler.mjs) as well as tests import it.
import { readFileSync } from 'node:fs';

/** CPU milliseconds of the calling (main) thread so far: utime + stime of /proc/thread-self/stat, in 10 ms ticks. */
function threadCpuMs() {
  const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Starts sampling; `onLonger` is called whenever the longest busy or late stretch grows. */
export function stallSampler({ intervalMs = 10, onLonger = () => {} } = {}) {
  let busy = 0;
  let late = 0;
  let last = performance.now();
  let lastCpu = threadCpuMs();
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = threadCpuMs();
    const lateNow = now - last - intervalMs;
    const busyNow = Math.min(lateNow, cpu - lastCpu);
    last = now;
    lastCpu = cpu;
    if (lateNow > late || busyNow > busy) {
      late = Math.max(late, lateNow);
      busy = Math.max(busy, busyNow);
      onLonger();
    }
  }, intervalMs);
  timer.unref();
  return {
    /** The longest stretches so far, in ms. */
    read: () => ({ busy, late }),
    /** Starts over from now. */
    reset() {
      busy = 0;
      late = 0;
      last = performance.now();
      lastCpu = threadCpuMs();
    },
    stop: () => clearInterval(timer),
  };
}
