/**
 * Runs `work` and returns its value with the longest event-loop stall seen meanwhile, from
 * before the work starts until after it ends: `busy`, the longest stretch the loop was held
 * on this thread's CPU (what the code under test did), and `late`, the same in wall-clock
 * time (which a loaded machine adds to by not scheduling the process). Bounds are held
 * against `busy`, so a test does not fail because other jobs share the machine.
 */
import { stallSampler } from './loop-stalls.mjs';

const settle = () => new Promise((resolve) => setTimeout(resolve, 30));

export async function stallOf<T>(work: () => Promise<T>): Promise<{ value: T; busy: number; late: number }> {
  const sampler = stallSampler({ intervalMs: 5 });
  await settle();
  try {
    const value = await work();
    await settle();
    return { value, ...sampler.read() };
  } finally {
    sampler.stop();
  }
}
