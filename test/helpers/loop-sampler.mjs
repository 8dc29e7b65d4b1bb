// Preloaded into a served process (NODE_OPTIONS=--import=<this file>) with JETTY_LOOP_SAMPLER_FILE
// set: a 10 ms timer measures how late it fires and writes `<generation> <longest busy ms>
// <longest late ms>` to that file whenever either grows. Late is wall-clock time the timer was
// held back; busy is the part of it the main thread spent on the CPU (Linux's per-thread
// counters, 10 ms ticks; at most the late time): a synchronous stretch of the event loop shows
// in both, a machine too loaded to schedule the process (or work on other threads) only in
// `late`. SIGUSR2 collects garbage (a full collection, so what is measured next is neither the
// debt of earlier work nor memory the heap has not handed back yet), then starts a new
// generation with both at 0 (a test resets it, then waits for the new generation to show
// before trusting the figures). Only the main thread of a process whose arguments include
// `serve` samples (not worker threads, not other processes).
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';

const file = process.env.JETTY_LOOP_SAMPLER_FILE;
if (file && isMainThread && process.argv.includes('serve')) {
  const INTERVAL_MS = 10;
  let generation = 0;
  let busy = 0;
  let late = 0;
  let last = performance.now();
  /** CPU milliseconds of this (the main) thread so far: utime + stime of /proc/thread-self/stat, in 10 ms ticks. */
  const threadCpuMs = () => {
    const fields = readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  let lastCpu = threadCpuMs();
  // Written aside and renamed over the file, so a reader never sees it half-written.
  const write = () => {
    writeFileSync(`${file}.next`, `${generation} ${busy.toFixed(1)} ${late.toFixed(1)}`);
    renameSync(`${file}.next`, file);
  };
  write();
  setInterval(() => {
    const now = performance.now();
    const cpu = threadCpuMs();
    const lateNow = now - last - INTERVAL_MS;
    const busyNow = Math.min(lateNow, cpu - lastCpu);
    last = now;
    lastCpu = cpu;
    if (lateNow > late || busyNow > busy) {
      late = Math.max(late, lateNow);
      busy = Math.max(busy, busyNow);
      write();
    }
  }, INTERVAL_MS).unref();
  v8.setFlagsFromString('--expose-gc');
  const collect = vm.runInNewContext('gc');
  process.on('SIGUSR2', () => {
    collect();
    generation++;
    busy = 0;
    late = 0;
    last = performance.now();
    lastCpu = threadCpuMs();
    write();
  });
}
