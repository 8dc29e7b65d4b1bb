import type { StorageSettings } from '../../../shared/storage';
import { FLAVOURS } from './flavours';
import { localBackend } from './local';
import { s3Backend } from './s3';
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
  return s3Backend(settings.backend, settings, FLAVOURS[settings.backend](settings, ctx.env), ctx.credentials());
}
