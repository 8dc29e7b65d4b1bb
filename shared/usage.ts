import type { Usage } from './trajectory-events';

/**
 * Two usages added up (a run's turns, a workflow's steps). A cost is the sum of the known
 * ones; it is null when a side has a cost field but neither knows it, and absent when
 * neither side has one.
 */
export function addUsage(a: Usage | null, b: Usage): Usage {
  const sum: Usage = {
    prompt_tokens: (a?.prompt_tokens ?? 0) + b.prompt_tokens,
    completion_tokens: (a?.completion_tokens ?? 0) + b.completion_tokens,
    total_tokens: (a?.total_tokens ?? 0) + b.total_tokens,
  };
  if (a?.cost_usd == null && b.cost_usd == null) return a?.cost_usd === null || b.cost_usd === null ? { ...sum, cost_usd: null } : sum;
  return { ...sum, cost_usd: (a?.cost_usd ?? 0) + (b.cost_usd ?? 0) };
}
