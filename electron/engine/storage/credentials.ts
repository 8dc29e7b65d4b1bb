import type { StorageBackendName } from '../../../shared/storage';
import { StorageError, type StorageCredentials } from './types';

/** Where secret values are read from (the app's vault); only `get` is needed. */
export interface SecretSource {
  get(name: string): string | undefined;
}

/** The vault entries holding a collection's storage keys (set over REST or in collection settings). */
export const vaultNames = (collection: string) => ({
  accessKeyId: `storage:${collection}:access_key_id`,
  secretAccessKey: `storage:${collection}:secret_access_key`,
});

/** The environment variables each backend reads when the vault has no keys for the collection. */
export const ENV_NAMES: Record<Exclude<StorageBackendName, 'local'>, { id: string[]; secret: string[] }> = {
  s3: { id: ['AWS_ACCESS_KEY_ID'], secret: ['AWS_SECRET_ACCESS_KEY'] },
  r2: { id: ['R2_ACCESS_KEY_ID', 'AWS_ACCESS_KEY_ID'], secret: ['R2_SECRET_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY'] },
  gcs: { id: ['GCS_HMAC_ACCESS_ID', 'AWS_ACCESS_KEY_ID'], secret: ['GCS_HMAC_SECRET', 'AWS_SECRET_ACCESS_KEY'] },
};

export type CredentialOrigin = 'vault' | 'environment' | 'none';

/** Where a collection's keys would come from now, without revealing them. */
export function credentialOrigin(collection: string, backend: StorageBackendName, vault: SecretSource | null, env: NodeJS.ProcessEnv): CredentialOrigin {
  if (backend === 'local') return 'none';
  if (vault?.get(vaultNames(collection).secretAccessKey)) return 'vault';
  const names = ENV_NAMES[backend];
  return names.secret.some((n) => env[n]) && names.id.some((n) => env[n]) ? 'environment' : 'none';
}

/** A collection's keys for a remote backend: the vault's, else the environment's; bad_credentials when neither has them. */
export function resolveCredentials(
  collection: string,
  backend: Exclude<StorageBackendName, 'local'>,
  vault: SecretSource | null,
  env: NodeJS.ProcessEnv,
): StorageCredentials {
  const names = vaultNames(collection);
  const fromVault = { id: vault?.get(names.accessKeyId), secret: vault?.get(names.secretAccessKey) };
  if (fromVault.id && fromVault.secret) return { accessKeyId: fromVault.id, secretAccessKey: fromVault.secret };
  const pick = (list: string[]) => list.map((n) => env[n]).find(Boolean);
  const id = pick(ENV_NAMES[backend].id);
  const secret = pick(ENV_NAMES[backend].secret);
  if (id && secret) return { accessKeyId: id, secretAccessKey: secret, sessionToken: backend === 's3' ? env.AWS_SESSION_TOKEN || undefined : undefined };
  throw new StorageError(
    'bad_credentials',
    `no ${backend} credentials for collection '${collection}': store them in its storage settings, or set ${ENV_NAMES[backend].id[0]} and ${ENV_NAMES[backend].secret[0]}`,
  );
}
