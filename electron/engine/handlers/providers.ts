import type { Api } from '../../../shared/contract';
import { baseUrlVariablesOf, CATALOG } from '../proxy/catalog';
import { detectLocalServers } from '../proxy/local-servers';
import { probeModels } from '../proxy/models';
import { createProviderRegistry, type ProviderRegistry } from '../proxy/providers';
import type { SecretVault } from '../secrets/vault';

/** Settings → Providers: the catalog as configured, testing an endpoint, detecting local servers. */
export function providerHandlers(deps: { vault: Pick<SecretVault, 'has'>; env: NodeJS.ProcessEnv; providers: () => ProviderRegistry }) {
  return {
    'providers.catalog': async () => {
      const configured = new Map(deps.providers().list().map((p) => [p.name, p]));
      return {
        providers: CATALOG.map((entry) => {
          const provider = configured.get(entry.prefix);
          const keyVariable = entry.keyVariables[0] ?? null;
          const keySource = entry.keyOptional || !keyVariable ? ('not-needed' as const) : deps.vault.has(keyVariable) ? ('stored' as const) : entry.keyVariables.some((v) => deps.env[v]) ? ('environment' as const) : ('none' as const);
          return {
            prefix: entry.prefix,
            label: entry.label,
            baseUrl: provider?.baseUrl ?? entry.baseUrl,
            defaultBaseUrl: entry.baseUrl,
            baseUrlVariable: baseUrlVariablesOf(entry)[0],
            keyVariable,
            keySource,
            wire: entry.wire,
            local: entry.local ?? null,
            unsupported: entry.unsupported ?? null,
          };
        }),
      };
    },
    'endpoints.test': async ({ name, baseUrl, wire, apiKey }) => {
      let provider;
      try {
        provider = createProviderRegistry({ env: {}, endpoints: [{ name, baseUrl, wire, apiKey }] }).resolve(`${name}/x`).provider;
      } catch (error) {
        return { ok: false, models: [], message: (error as Error).message };
      }
      const probe = await probeModels(provider);
      if (!probe.ok) return { ok: false, models: [], message: probe.error };
      return { ok: true, models: probe.ids, message: `connected, ${probe.ids.length} model${probe.ids.length === 1 ? '' : 's'}` };
    },
    'localServers.detect': async () => ({ servers: await detectLocalServers(deps.providers()) }),
  } satisfies Partial<Api>;
}
