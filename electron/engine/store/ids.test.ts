import { describe, expect, it } from 'vitest';
import { randomTrajectoryId, TRAJECTORY_ID } from './ids';

describe('trajectory ids', () => {
  it('are 8 hex characters and keep being random across refills of the random pool', () => {
    const ids = Array.from({ length: 3000 }, randomTrajectoryId);
    expect(ids.every((id) => TRAJECTORY_ID.test(id))).toBe(true);
    // 3,000 draws from 2^32: a repeat or two is possible, a stuck or recycled pool is not.
    expect(new Set(ids).size).toBeGreaterThan(2995);
    expect(new Set(ids.map((id) => id[0])).size).toBe(16);
  });
});
