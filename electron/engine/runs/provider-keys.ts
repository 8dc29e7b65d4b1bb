/**
 * Provider keys, the same for runbook runs and workflow steps: each from the vault (where
 * Settings saves it), else the environment; and the one check that a run's model has the
 * key it needs before any sandbox starts.
 */
import type { SecretVault } from '../secrets/vault';
import type { AgentRuntime } from '../agents/types';
import { createProviderRegistry, type Provider } from '../proxy/providers';
import { runProviders } from './run-gateway-access';
import type { RunRequest } from './run-request';

/** The vault entries holding provider keys, by where Settings sets them; each else from the environment. */
export const PROVIDER_KEY_SETTINGS: Readonly<Record<string, string>> = {
  OPENAI_API_KEY: 'Settings → Model provider → API key',
  ANTHROPIC_API_KEY: 'Settings → Anthropic → API key',
};
export const PROVIDER_KEY_SECRETS = Object.keys(PROVIDER_KEY_SETTINGS);

/** The provider keys runs and workflow steps use: each from the vault, else the environment. */
export function providerKeys(env: NodeJS.ProcessEnv, vault: Pick<SecretVault, 'get'> | null): Record<string, string | undefined> {
  return Object.fromEntries(PROVIDER_KEY_SECRETS.map((name) => [name, vault?.get(name) ?? env[name]]));
}

/** Each built-in provider's own base URL (none of its variables set). */
const DEFAULT_BASE_URLS = new Map(createProviderRegistry({ env: {} }).list().map((p) => [p.name, p.baseUrl]));

/**
 * Why a run cannot reach its model for want of a key, or null. Refused: the provider the
 * run's model reaches (as the run's gateway resolves it, `runProviders`) is a built-in one
 * that takes a key, has none configured (request, vault or environment), and is reached at
 * its own default base URL. A base URL of the user's (a local server, a proxy) or a
 * user-defined endpoint may well need no key, so those are never refused: the server
 * answers for itself.
 */
export function missingKeyProblem(runtime: AgentRuntime, request: RunRequest, model: string, env: NodeJS.ProcessEnv): string | null {
  let provider: Provider;
  try {
    provider = runProviders(runtime, request, model, env).resolve(model).provider;
  } catch {
    // A base URL that is not one: the gateway reports it when the run opens its access.
    return null;
  }
  if (provider.apiKey || !provider.keyVariable || provider.baseUrl !== DEFAULT_BASE_URLS.get(provider.name)) return null;
  const where = PROVIDER_KEY_SETTINGS[provider.keyVariable];
  return `the model ${model} needs ${provider.keyVariable}: set it in ${where ? `${where} (kept in the secret store), or in the environment` : 'the environment Jetty runs in'}`;
}
