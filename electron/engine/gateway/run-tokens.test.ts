import { describe, expect, it } from 'vitest';
import { createProviderRegistry } from '../proxy/providers';
import { createRunBudget } from './run-budget';
import { createRunTokens } from './run-tokens';

const scope = (runId: string) => ({ runId, providers: createProviderRegistry({ env: {} }), admit: () => null, record: () => undefined });

describe('run tokens', () => {
  it('stand for their own run until revoked, and nothing else opens one', () => {
    const tokens = createRunTokens();
    const a = tokens.issue(scope('aaaa0001'));
    const b = tokens.issue(scope('bbbb0002'));
    expect(a).not.toBe(b);
    expect(tokens.resolve(a)?.runId).toBe('aaaa0001');
    expect(tokens.resolve(b)?.runId).toBe('bbbb0002');
    tokens.revoke(a);
    expect(tokens.resolve(a)).toBeNull();
    expect(tokens.resolve(b)?.runId).toBe('bbbb0002');
    expect(tokens.resolve(null)).toBeNull();
    expect(tokens.resolve(`${b}x`)).toBeNull();
  });
});

describe('run budget', () => {
  it('refuses once spending reaches a limit, naming the limit and where it was set', () => {
    const budget = createRunBudget({ maxCostUsd: 0.01, maxTokens: null, source: 'Settings' });
    budget.add({ costUsd: 0.004, tokens: 100 });
    expect(budget.refusal()).toBeNull();
    budget.add({ costUsd: 0.006, tokens: 100 });
    expect(budget.refusal()).toBe('budget exceeded: the run has spent $0.0100 of its max_cost_usd $0.01 (Settings); the gateway refuses further model calls');
    const tokens = createRunBudget({ maxCostUsd: null, maxTokens: 150, source: "the runbook's frontmatter" });
    tokens.add({ costUsd: null, tokens: 149 });
    expect(tokens.refusal()).toBeNull();
    tokens.add({ costUsd: null, tokens: 1 });
    expect(tokens.refusal()).toMatch(/used 150 tokens of its max_tokens 150 \(the runbook's frontmatter\)/);
  });
});
