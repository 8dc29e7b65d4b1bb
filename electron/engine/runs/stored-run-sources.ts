import { openStoredSecrets } from '../secrets/shared-secrets';
import { openSettings } from '../base/settings';
import type { RunSources } from './assemble-run';

/**
 * The run sources a data folder keeps, for a process without the OS keychain (the CLI):
 * its Settings, and its vault and collection environments when it can read them
 * (`openStoredSecrets`).
 */
export function openStoredRunSources(dataDir: string, env: NodeJS.ProcessEnv): RunSources {
  const settings = openSettings(dataDir);
  return { env, settings: () => settings.get(), ...openStoredSecrets(dataDir) };
}
