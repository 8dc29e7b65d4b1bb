import { describe, expect, it } from 'vitest';
import { costOf, priceOf } from './pricing';

const usage = (input: number, output: number, cached = 0) => ({ inputTokens: input, outputTokens: output, cachedInputTokens: cached, cacheWriteTokens: 0, reasoningTokens: 0 });

describe('model prices', () => {
  it('matches the longest prefix of the bare model name, the provider prefix ignored', () => {
    expect(priceOf('openai/gpt-4o-mini-2024-07-18')).toMatchObject({ input: 0.15 });
    expect(priceOf('gpt-4o-2024-08-06')).toMatchObject({ input: 2.5 });
    expect(priceOf('scripted-model')).toBeNull();
  });

  it('bills cached input at its own rate and lets settings override a price', () => {
    expect(costOf('gpt-4o', usage(1_000_000, 100_000, 400_000))).toBeCloseTo(0.6 * 2.5 + 0.4 * 1.25 + 0.1 * 10, 8);
    expect(costOf('scripted-model', usage(10, 10))).toBeNull();
    expect(costOf('local/scripted-model', usage(1000, 500), { 'scripted-model': { input: 2, output: 4 } })).toBeCloseTo(0.004, 8);
    expect(costOf('gpt-4o', usage(1_000_000, 0), { 'gpt-4o': { input: 1, output: 1 } })).toBe(1);
  });
});
