/**
 * What a run's gateway access is made of: the run's providers (its agent's endpoint and
 * key, as `endpointFor` resolves them, beside the other providers' variables) and its
 * budget (the runbook's `max_cost_usd` / `max_tokens`, else Settings').
 */
import type { Settings } from '../../../shared/contract';
import type { AgentRuntime } from '../agents/types';
import { PROVIDER_VARIABLES } from '../agents/types';
import type { BudgetLimits } from '../gateway/run-budget';
import { createProviderRegistry, type ProviderRegistry } from '../proxy/providers';
import { runbookBudget } from '../runbook/frontmatter';
import type { RunRequest } from './run-request';

/** The gateway settings a runner reads at each run's start. */
export type GatewaySettings = Pick<Settings, 'modelPrices' | 'maxCostUsd' | 'maxTokens'>;

/** A runtime's model endpoint: the request's, else its provider's variables (`request.modelEnv`, else `env`). */
export function endpointFor(runtime: AgentRuntime, request: RunRequest, env: Record<string, string | undefined>) {
  const vars = PROVIDER_VARIABLES[runtime.provider];
  const modelEnv = request.modelEnv ?? env;
  return { baseURL: request.baseURL ?? modelEnv[vars.baseURL], apiKey: request.apiKey ?? vars.apiKey.map((name) => modelEnv[name]).find(Boolean) };
}

/**
 * The providers a run's calls may reach: its agent's own (where a model no provider claims
 * goes: a local server's model names) and the one its model's name picks — never the other
 * configured providers, whose keys the run does not need.
 */
export function runProviders(runtime: AgentRuntime, request: RunRequest, model: string | null, env: NodeJS.ProcessEnv): ProviderRegistry {
  const vars = PROVIDER_VARIABLES[runtime.provider];
  const { baseURL, apiKey } = endpointFor(runtime, request, env);
  const modelEnv: NodeJS.ProcessEnv = { ...(request.modelEnv ?? env) };
  if (baseURL) modelEnv[vars.baseURL] = baseURL;
  if (apiKey) modelEnv[vars.apiKey[0]] = apiKey;
  const options = { env: modelEnv, fallbackProvider: runtime.provider, requireKeys: false };
  const only = new Set<string>([runtime.provider]);
  try {
    if (model) only.add(createProviderRegistry(options).resolve(model).provider.name);
  } catch {
    // a model no provider claims: the agent's provider answers it
  }
  return createProviderRegistry({ ...options, only: [...only] });
}

export function runBudgetLimits(frontmatter: Record<string, unknown>, settings: GatewaySettings): BudgetLimits {
  const own = runbookBudget(frontmatter);
  const fromRunbook = own.maxCostUsd !== null || own.maxTokens !== null;
  return {
    maxCostUsd: own.maxCostUsd ?? settings.maxCostUsd ?? null,
    maxTokens: own.maxTokens ?? settings.maxTokens ?? null,
    source: fromRunbook ? "the runbook's frontmatter" : 'Settings',
  };
}
