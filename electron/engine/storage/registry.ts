import type { StorageSettings } from '../../../shared/storage';
import { FLAVOURS } from './flavours';
import { bucketLocation } from './keys';
import { localBackend } from './local';
import type { StorageBackend, StorageCredentials } from './types';

export interface BackendContext {
  /** The local backend's root (the data folder's artifacts). */
  localRoot: string;
  /** A remote backend's keys, asked for only when one is opened. */
  credentials(): StorageCredentials;
  env: NodeJS.ProcessEnv;
}

/**
 * The one place settings become a backend: adding a backend means a case here and a
 * file beside this one.
 */
export function openBackend(settings: StorageSettings, ctx: BackendContext): StorageBackend {
  if (settings.backend === 'local') return localBackend(ctx.localRoot);
  const name = settings.backend;
  const flavour = FLAVOURS[name](settings, ctx.env);
  const credentials = ctx.credentials();
  // The S3 SDK (a large load) is read only when a remote backend is first used, not by every process that opens storage (a one-shot `jetty run`).
  let loaded: Promise<StorageBackend> | undefined;
  const backend = () => (loaded ??= import('./s3').then((s3) => s3.s3Backend(name, settings, flavour, credentials)));
  return {
    name,
    describe: (key) => bucketLocation(name, settings.bucket, settings.prefix, key),
    put: async (key, body, options) => (await backend()).put(key, body, options),
    get: async (key, range, signal) => (await backend()).get(key, range, signal),
    head: async (key) => (await backend()).head(key),
    list: async (prefix, limit) => (await backend()).list(prefix, limit),
    delete: async (key) => (await backend()).delete(key),
    downloadUrl: async (key, expiresInSeconds) => (await backend()).downloadUrl!(key, expiresInSeconds),
  };
}
