/**
 * Memory as a test should compare it: the resident set after full garbage collections, so
 * garbage a test has made but V8 has not collected yet does not count against a bound.
 * (`gc` is exposed at run time, the flag set through v8, since vitest starts the workers.)
 */
import v8 from 'node:v8';
import vm from 'node:vm';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** RSS in bytes after two full collections (the second frees what the first's finalisers released). */
export async function settledRss(): Promise<number> {
  gc();
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return process.memoryUsage().rss;
}
