/**
 * A run's budget at the gateway: `max_cost_usd` and `max_tokens` (from the runbook's
 * frontmatter, else Settings). Spending adds up call by call; once it reaches a limit, the
 * next call is refused with a message saying which limit and where it was set.
 */
export interface BudgetLimits {
  maxCostUsd: number | null;
  maxTokens: number | null;
  /** Where the limits come from, named in the refusal ("the runbook's frontmatter", "Settings"). */
  source: string;
}

export function createRunBudget(limits: BudgetLimits) {
  let costUsd = 0;
  let tokens = 0;
  return {
    add(call: { costUsd: number | null; tokens: number }): void {
      costUsd += call.costUsd ?? 0;
      tokens += call.tokens;
    },
    /** Why the next call is refused, or null while the run is within its limits. */
    refusal(): string | null {
      if (limits.maxCostUsd !== null && costUsd >= limits.maxCostUsd) {
        return `budget exceeded: the run has spent $${costUsd.toFixed(4)} of its max_cost_usd $${limits.maxCostUsd} (${limits.source}); the gateway refuses further model calls`;
      }
      if (limits.maxTokens !== null && tokens >= limits.maxTokens) {
        return `budget exceeded: the run has used ${tokens} tokens of its max_tokens ${limits.maxTokens} (${limits.source}); the gateway refuses further model calls`;
      }
      return null;
    },
    spent: () => ({ costUsd, tokens }),
  };
}
export type RunBudget = ReturnType<typeof createRunBudget>;
