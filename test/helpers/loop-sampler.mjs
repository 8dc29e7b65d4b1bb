// Preloaded into a served process (NODE_OPTIONS=--import=<this file>) with JETTY_LOOP_SAMPLER_FILE
// set: samples its event loop (loop-stalls.mjs) and writes `<generation> <longest busy ms>
// <longest late ms> <resident bytes> <heap used bytes> <external bytes> <peak resident bytes>` to that file whenever a longest stretch
// grows. SIGUSR2 collects garbage (a full collection, so what is measured next is neither the
// debt of earlier work nor memory the heap has not handed back yet), notes the memory, and
// starts a new generation from 0 (a test resets it, then waits for the new generation to show
// before trusting the figures). Only the main thread of a process whose arguments include
// `serve` samples (not worker threads, not other processes).
import { renameSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
import { isMainThread } from 'node:worker_threads';
import { stallSampler } from './loop-stalls.mjs';

const file = process.env.JETTY_LOOP_SAMPLER_FILE;
if (file && isMainThread && process.argv.includes('serve')) {
  let generation = 0;
  let memory = process.memoryUsage();
  // Written aside and renamed over the file, so a reader never sees it half-written.
  const write = () => {
    const { busy, late } = sampler.read();
    writeFileSync(`${file}.next`, `${generation} ${busy.toFixed(1)} ${late.toFixed(1)} ${memory.rss} ${memory.heapUsed} ${memory.external} ${process.resourceUsage().maxRSS * 1024}`);
    renameSync(`${file}.next`, file);
  };
  const sampler = stallSampler({ onLonger: write });
  write();
  v8.setFlagsFromString('--expose-gc');
  const collect = vm.runInNewContext('gc');
  process.on('SIGUSR2', () => {
    collect();
    memory = process.memoryUsage();
    generation++;
    sampler.reset();
    write();
  });
}
