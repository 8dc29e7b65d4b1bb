import { describe, expect, it, vi } from 'vitest';
import { openStore } from './index';
import { aTrajectory, tempStore } from './temp-store.test-helper';

/** Random ids made predictable: the queued ones first, then a counter. */
const random = vi.hoisted(() => ({ queue: [] as string[], counter: 0x10000000 }));
vi.mock('./ids', async (importOriginal) => ({
  ...(await importOriginal<typeof import('./ids')>()),
  randomTrajectoryId: () => random.queue.shift() ?? (random.counter++).toString(16),
}));

describe('fresh trajectory ids', () => {
  it('never hands out an id the table has, nor the same id twice', () => {
    const { file, store } = tempStore();
    const existing = Array.from({ length: 5 }, () => store.createTrajectory(aTrajectory()).id);
    // A second connection draws candidates that include every existing id.
    const other = openStore(file);
    try {
      random.queue.push(...existing);
      const handed = Array.from({ length: 600 }, () => other.freshTrajectoryId());
      expect(handed.filter((id) => existing.includes(id))).toEqual([]);
      expect(new Set(handed).size).toBe(600);
    } finally {
      other.close();
    }
  });
});
