import { describe, expect, it } from 'vitest';
import { createRunBudget, type Reservation } from './run-budget';

const NOTHING = { tokens: 0, costUsd: 0 };
const refusalOf = (r: Reservation | string) => (typeof r === 'string' ? r : (r.release(), null));

describe('run budget', () => {
  it('refuses once spending reaches a limit, naming the limit and where it was set', () => {
    const budget = createRunBudget({ maxCostUsd: 0.01, maxTokens: null, source: 'Settings' });
    budget.add({ costUsd: 0.004, tokens: 100 });
    expect(refusalOf(budget.reserve(NOTHING))).toBeNull();
    budget.add({ costUsd: 0.006, tokens: 100 });
    expect(refusalOf(budget.reserve(NOTHING))).toBe('budget exceeded: the run has spent $0.0100 of its max_cost_usd $0.01 (Settings); the gateway refuses further model calls');
    const tokens = createRunBudget({ maxCostUsd: null, maxTokens: 150, source: "the runbook's frontmatter" });
    tokens.add({ costUsd: null, tokens: 149 });
    expect(refusalOf(tokens.reserve(NOTHING))).toBeNull();
    tokens.add({ costUsd: null, tokens: 1 });
    expect(refusalOf(tokens.reserve(NOTHING))).toMatch(/used 150 tokens of its max_tokens 150 \(the runbook's frontmatter\)/);
  });

  it('calls at the same moment reserve their estimates: those that would not fit beside the ones in flight are refused', () => {
    const budget = createRunBudget({ maxCostUsd: null, maxTokens: 100, source: "the runbook's frontmatter" });
    const held = Array.from({ length: 40 }, () => budget.reserve({ tokens: 30, costUsd: null }));
    const admitted = held.filter((r): r is Reservation => typeof r !== 'string');
    expect(admitted).toHaveLength(3);
    expect(held.find((r) => typeof r === 'string')).toMatch(/used 0 tokens of its max_tokens 100 .*, and 3 calls in flight may use the rest; the gateway refuses/);
    // The calls end, spending what they said; their reservations go back.
    for (const r of admitted) {
      budget.add({ costUsd: null, tokens: 30 });
      r.release();
      r.release();
    }
    expect(budget.spent().tokens).toBe(90);
    // Nothing in flight and under the limit: one more call may go, even estimated past the limit.
    const last = budget.reserve({ tokens: 4096, costUsd: null });
    expect(typeof last).toBe('object');
    expect(typeof budget.reserve({ tokens: 1, costUsd: null })).toBe('string');
  });

  it('reserves cost the same way', () => {
    const budget = createRunBudget({ maxCostUsd: 0.01, maxTokens: null, source: 'Settings' });
    const first = budget.reserve({ tokens: 10, costUsd: 0.006 });
    expect(typeof first).toBe('object');
    expect(budget.reserve({ tokens: 10, costUsd: 0.006 })).toMatch(/spent \$0\.0000 of its max_cost_usd \$0\.01 \(Settings\), and 1 call in flight/);
    expect(typeof budget.reserve({ tokens: 10, costUsd: 0.003 })).toBe('object');
  });
});
