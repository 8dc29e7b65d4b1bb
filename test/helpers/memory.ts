/**
 * Memory as a test should compare it: what the process holds after full garbage collections
 * (the JavaScript heap in use and the memory its objects hold outside it, buffers among
 * them), so garbage a test has made but V8 has not collected yet does not count against a
 * bound — and not the resident set, which keeps pages the C allocator freed but did not give
 * back after a bounded peak (no leak). (`gc` is exposed at run time, the flag set through v8,
 * since vitest starts the workers.)
 */
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

export interface SettledMemory {
  /** Heap used + external, in bytes, after two full collections (the second frees what the first's finalisers released). */
  held: number;
  /** The resident set then, in bytes (reported, not compared). */
  rss: number;
  /** The most resident memory this process has had, in bytes. */
  peakRss: number;
}

export async function settledMemory(): Promise<SettledMemory> {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  const { heapUsed, external, rss } = process.memoryUsage();
  return { held: heapUsed + external, rss, peakRss: process.resourceUsage().maxRSS * 1024 };
}

const mib = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);

/** Memory before and after, as a test reports it. */
export const memoryLine = (before: SettledMemory, after: SettledMemory): string =>
  `held (heap used and external) ${mib(before.held)} → ${mib(after.held)} MiB after collection, resident ${mib(before.rss)} → ${mib(after.rss)} MiB, peak ${mib(after.peakRss)} MiB`;
