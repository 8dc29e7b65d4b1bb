/**
 * The secrets every stored record is redacted of, whatever wrote it (a runbook run, a
 * workflow step, a passthrough call, a label): the vault's values, each collection's
 * environment, and the credentials in the process environment (provider keys, storage
 * keys, tokens: variables whose names end in KEY, TOKEN, SECRET or PASSWORD). Kept up to
 * date as the vault and the environments change; values live in memory only.
 */
import path from 'node:path';
import { openCollectionEnvironment, type CollectionEnvironment } from './collection-env';
import { hasKeyFile } from './encrypted-file';
import { openSecretVault, type SecretVault } from './vault';

/** Where a data folder keeps secrets; either is null when this process cannot read it. */
export interface SecretSources {
  vault: SecretVault | null;
  environment: CollectionEnvironment | null;
}

/**
 * The secrets a data folder keeps, for a process without the OS keychain (the CLI): its
 * vault and collection environments when their key file is there (a `jetty serve`
 * folder; the app's key is in the keychain, and no key is made here).
 */
export function openStoredSecrets(dataDir: string): SecretSources {
  const readable = hasKeyFile(path.join(dataDir, 'secrets'));
  return { vault: readable ? openSecretVault(dataDir) : null, environment: readable ? openCollectionEnvironment({ dataDir }) : null };
}

const CREDENTIAL_NAME = /(KEY|TOKEN|SECRET|PASSWORD)$/i;

/** name → value; a name already taken by another value is kept apart as `collection:NAME`. */
export function knownSecrets({ vault, environment }: SecretSources, env: NodeJS.ProcessEnv): Record<string, string> {
  const known: Record<string, string> = {};
  const add = (name: string, value: string | undefined, scope: string) => {
    if (!value) return;
    if (known[name] === undefined || known[name] === value) known[name] = value;
    else known[`${scope}:${name}`] = value;
  };
  for (const [name, value] of Object.entries(env)) if (CREDENTIAL_NAME.test(name)) add(name, value, 'env');
  for (const name of vault?.names() ?? []) add(name, vault!.get(name), 'vault');
  for (const [collection, values] of Object.entries(environment?.all() ?? {})) {
    for (const [name, value] of Object.entries(values)) add(name, value, collection);
  }
  return known;
}

/** Sets the store's shared secrets now and after every change to the vault or an environment; returns the stop. */
export function shareKnownSecrets(store: { setSharedSecrets(secrets: Record<string, string>): void }, sources: SecretSources, env: NodeJS.ProcessEnv): () => void {
  const share = () => store.setSharedSecrets(knownSecrets(sources, env));
  share();
  const stops = [sources.vault?.onChange(share), sources.environment?.onChange(share)];
  return () => stops.forEach((stop) => stop?.());
}
