import { describe, expect, it } from 'vitest';
import { addUsage } from './usage';

const u = (p: number, c: number, cost?: number | null) => ({ prompt_tokens: p, completion_tokens: c, total_tokens: p + c, ...(cost === undefined ? {} : { cost_usd: cost }) });

describe('adding usages', () => {
  it('adds tokens, and costs where any is known', () => {
    expect(addUsage(null, u(3, 1))).toEqual(u(3, 1));
    expect(addUsage(u(3, 1), u(2, 2))).toEqual(u(5, 3));
    expect(addUsage(u(3, 1, 0.5), u(2, 2, null))).toEqual(u(5, 3, 0.5));
    expect(addUsage(u(3, 1, null), u(2, 2, null))).toEqual(u(5, 3, null));
    expect(addUsage(null, u(2, 2, 0.25))).toEqual(u(2, 2, 0.25));
  });
});
