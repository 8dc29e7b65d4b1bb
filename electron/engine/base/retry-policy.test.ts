import { describe, expect, it } from 'vitest';
import { backoffMs, retryAfterMs } from './retry-policy';

describe('the retry policy', () => {
  it('doubles from the base to the cap, and with jitter keeps 50–100 % of each delay', () => {
    const policy = { baseMs: 500, maxMs: 15_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((retry) => backoffMs(retry, policy))).toEqual([500, 1000, 2000, 4000, 8000, 15_000, 15_000]);
    expect(backoffMs(10_000, policy)).toBe(15_000);
    expect(backoffMs(3, { ...policy, jitter: true }, () => 0)).toBe(1000);
    expect(backoffMs(3, { ...policy, jitter: true }, () => 0.999999)).toBe(2000);
  });

  it('reads retry-after as seconds or an HTTP date, and nothing else', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('0.5')).toBe(500);
    expect(retryAfterMs(['2', '9'])).toBe(2000);
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon')).toBeNull();
    expect(retryAfterMs(undefined)).toBeNull();
    expect(retryAfterMs('-1')).toBeNull();
  });
});
