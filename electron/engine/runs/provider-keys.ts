/**
 * Provider keys, the same for runbook runs and workflow steps: each from the vault (where
 * Settings saves it), else the environment; and the one check that a run's model has the
 * key it needs before any sandbox starts.
 */
import type { SecretVault } from '../secrets/vault';
import type { AgentRuntime } from '../agents/types';
import { CATALOG, CATALOG_KEY_VARIABLES } from '../proxy/catalog';
import { createProviderRegistry, endpointKeyVariable, endpointsFromEnv, type Provider } from '../proxy/providers';
import { runProviders } from './run-gateway-access';
import type { RunRequest } from './run-request';

/** The vault entries holding provider keys, by where Settings sets them; each else from the environment. */
export const PROVIDER_KEY_SETTINGS: Readonly<Record<string, string>> = {
  // Every other catalog row's first key (the first row naming it): Settings → Providers.
  ...Object.fromEntries(
    CATALOG.filter((e) => !e.unsupported && e.keyVariables.length > 0)
      .map((e) => [e.keyVariables[0], `Settings → Providers → ${e.label}`])
      .reverse(),
  ),
  OPENAI_API_KEY: 'Settings → Model provider → API key',
  ANTHROPIC_API_KEY: 'Settings → Anthropic → API key',
};
/** Every variable a provider's key is read from (the catalog's), which the vault may hold. */
export const PROVIDER_KEY_SECRETS: readonly string[] = CATALOG_KEY_VARIABLES;

/**
 * The provider keys runs and workflow steps use: each from the vault, else the environment;
 * the catalog's and those of Settings' custom endpoints (`JETTY_ENDPOINTS`).
 */
export function providerKeys(env: NodeJS.ProcessEnv, vault: Pick<SecretVault, 'get'> | null): Record<string, string | undefined> {
  let endpointKeys: string[] = [];
  try {
    endpointKeys = endpointsFromEnv(env).map((e) => endpointKeyVariable(e.name));
  } catch {
    // a malformed JETTY_ENDPOINTS is reported where the registry is built
  }
  const found = [...PROVIDER_KEY_SECRETS, ...endpointKeys].map((name) => [name, vault?.get(name) ?? env[name]] as const);
  return Object.fromEntries(found.filter(([, value]) => value !== undefined));
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
