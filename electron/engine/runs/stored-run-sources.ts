import path from 'node:path';
import { openCollectionEnvironment } from '../secrets/collection-env';
import { hasKeyFile } from '../secrets/encrypted-file';
import { openSecretVault } from '../secrets/vault';
import { openSettings } from '../settings';
import type { RunSources } from './assemble-run';

/**
 * The run sources a data folder keeps, for a process without the OS keychain (the CLI):
 * its Settings, and its vault and collection environments when their key file is there
 * (a `jetty serve` folder; the app's key is in the keychain, and no key is made here).
 */
export function openStoredRunSources(dataDir: string, env: NodeJS.ProcessEnv): RunSources {
  const settings = openSettings(dataDir);
  const readable = hasKeyFile(path.join(dataDir, 'secrets'));
  return {
    env,
    settings: () => settings.get(),
    vault: readable ? openSecretVault(dataDir) : null,
    environment: readable ? openCollectionEnvironment({ dataDir }) : null,
  };
}
