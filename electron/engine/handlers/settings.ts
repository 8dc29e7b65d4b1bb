import type { Api } from '../../../shared/contract';
import type { SandboxService } from '../sandbox';
import type { SecretVault } from '../secrets/vault';
import type { SettingsFile } from '../base/settings';
import { AGENT_FALLBACK_VARIABLE } from '../runbook';
import { PROVIDER_KEY_SECRETS } from '../runs/provider-keys';
import { createProviderRegistry, withProviderSettings } from '../proxy/providers';
import { ApiError } from '../../../shared/api-error';

/** Provider keys Settings reports on: the vault's, then those only the environment gives. */
const PROVIDER_KEYS = PROVIDER_KEY_SECRETS;
/** Variables that change what every run uses, shown in Settings when set. */
const OVERRIDES = ['JETTY_MODEL', 'JETTY_SANDBOX_IMAGE', AGENT_FALLBACK_VARIABLE, 'OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL', 'GOOGLE_GEMINI_BASE_URL', 'DOCKER_HOST'];

/** Secrets (set and cleared, never read back), settings, where provider keys come from, Docker status and its local images. */
export function settingsHandlers(vault: SecretVault, settings: SettingsFile, sandboxes: SandboxService, env: NodeJS.ProcessEnv) {
  return {
    'settings.environment': async () => ({
      keys: PROVIDER_KEYS.map((name) => ({ name, source: vault.has(name) ? ('stored' as const) : env[name] ? ('environment' as const) : ('none' as const) })),
      overrides: OVERRIDES.flatMap((name) => (env[name] ? [{ name, value: env[name] }] : [])),
    }),
    'secrets.status': async ({ names }) => ({
      storage: vault.storage,
      secrets: names.map((name) => ({ name, configured: vault.has(name) })),
    }),
    'secrets.set': async ({ name, value }) => {
      vault.set(name, value);
      return { name, configured: true };
    },
    'secrets.clear': async ({ name }) => {
      vault.delete(name);
      return { name, configured: false };
    },
    'settings.get': async () => settings.get(),
    'settings.update': async (patch) => {
      if (patch.providerBaseUrls !== undefined || patch.endpoints !== undefined) {
        // Base URLs and endpoints are checked as the providers will read them, before they are saved.
        try {
          createProviderRegistry({ env: withProviderSettings({}, { ...settings.get(), ...patch }) });
        } catch (error) {
          throw new ApiError('invalid_input', (error as Error).message);
        }
      }
      const updated = settings.update(patch);
      // A new warm pool size applies at once (containers over it are removed).
      sandboxes.resizePool();
      return updated;
    },
    'docker.status': async () => ({ ...(await sandboxes.status()), pool: sandboxes.poolStatus() }),
    'sandbox.images': async ({ limit }) => ({ images: await sandboxes.localImages(limit) }),
  } satisfies Partial<Api>;
}
