import type { Api } from '../../../shared/contract';
import type { SandboxService } from '../sandbox';
import type { SecretVault } from '../secrets/vault';
import type { SettingsFile } from '../settings';

/** Secrets (set and cleared, never read back), settings and Docker status. */
export function settingsHandlers(vault: SecretVault, settings: SettingsFile, sandboxes: SandboxService) {
  return {
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
    'settings.update': async (patch) => settings.update(patch),
    'docker.status': async () => sandboxes.status(),
  } satisfies Partial<Api>;
}
