/**
 * A run's budget at the gateway: `max_cost_usd` and `max_tokens` (from the runbook's
 * frontmatter, else Settings). Each call reserves its estimate before it goes (`reserve`)
 * and gives the reservation back once its real spending is added (`add`, then the
 * reservation's `release`), so calls made at the same moment cannot pass together: a call
 * is let through only if what is spent plus what calls in flight may spend leaves room for
 * its own estimate — or, with nothing in flight, while the run is still under its limits
 * (so a run can always make the call that takes it past a limit, as one call, and no more).
 */
export interface BudgetLimits {
  maxCostUsd: number | null;
  maxTokens: number | null;
  /** Where the limits come from, named in the refusal ("the runbook's frontmatter", "Settings"). */
  source: string;
}

/** What one call may spend: its prompt and its largest answer (see `call-estimate.ts`); cost null when the model has no price. */
export interface SpendEstimate {
  tokens: number;
  costUsd: number | null;
}

export interface Reservation {
  /** Gives the reservation back (once; later calls do nothing). */
  release(): void;
}

export function createRunBudget(limits: BudgetLimits) {
  let costUsd = 0;
  let tokens = 0;
  let heldCost = 0;
  let heldTokens = 0;
  let inFlight = 0;

  const inFlightNote = () => (inFlight > 0 ? `, and ${inFlight} call${inFlight === 1 ? '' : 's'} in flight may use the rest` : '');

  /** Why a call estimated at `estimate` is refused now, or null. */
  function refusal(estimate: SpendEstimate): string | null {
    const { maxCostUsd, maxTokens } = limits;
    const costFull = maxCostUsd !== null && (costUsd >= maxCostUsd || (inFlight > 0 && costUsd + heldCost + (estimate.costUsd ?? 0) > maxCostUsd));
    if (costFull) {
      return `budget exceeded: the run has spent $${costUsd.toFixed(4)} of its max_cost_usd $${maxCostUsd} (${limits.source})${inFlightNote()}; the gateway refuses further model calls`;
    }
    const tokensFull = maxTokens !== null && (tokens >= maxTokens || (inFlight > 0 && tokens + heldTokens + estimate.tokens > maxTokens));
    if (tokensFull) {
      return `budget exceeded: the run has used ${tokens} tokens of its max_tokens ${maxTokens} (${limits.source})${inFlightNote()}; the gateway refuses further model calls`;
    }
    return null;
  }

  return {
    /** Reserves `estimate` for a call about to go, or says why the call is refused. */
    reserve(estimate: SpendEstimate): Reservation | string {
      const refused = refusal(estimate);
      if (refused) return refused;
      const cost = estimate.costUsd ?? 0;
      heldCost += cost;
      heldTokens += estimate.tokens;
      inFlight += 1;
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          heldCost -= cost;
          heldTokens -= estimate.tokens;
          inFlight -= 1;
        },
      };
    },
    /** A call's real spending, once it is known (before its reservation is released). */
    add(call: { costUsd: number | null; tokens: number }): void {
      costUsd += call.costUsd ?? 0;
      tokens += call.tokens;
    },
    spent: () => ({ costUsd, tokens }),
  };
}
export type RunBudget = ReturnType<typeof createRunBudget>;
