import type { Api } from '../../../shared/contract';
import { ApiError } from '../../../shared/rpc';
import { StorageSettingsSchema } from '../../../shared/storage';
import type { CatalogView } from '../server/rest/catalog-view';
import { uploadLocation, type Store } from '../store';
import { StorageError, type StorageService } from '../storage';

/** Storage failures (bad settings, no vault) as API errors the UI shows as they are. */
async function storageCall<T>(call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof StorageError) throw new ApiError('invalid_input', error.message);
    throw error;
  }
}

/**
 * The storage contract methods over the same storage service functions the REST routes
 * (`/collections/{c}/storage…`) call: settings, Test connection, the upload queue with
 * Retry, and copying existing artifacts after a backend switch.
 */
export function storageHandlers(deps: { storage: StorageService; catalog: CatalogView; store: Store }) {
  const { storage, catalog } = deps;
  const existing = async (name: string) => {
    if (!(await catalog.collection(name))) throw new ApiError('not_found', `no collection named '${name}'`);
    return name;
  };
  return {
    'storage.collections': async () => ({ collections: (await catalog.collections()).map((c) => storage.describe(c.name)) }),
    'storage.get': async ({ collection }) => storage.describe(await existing(collection)),
    'storage.configure': async ({ collection, settings, credentials }) => storageCall(async () => storage.configure(await existing(collection), StorageSettingsSchema.parse(settings), credentials)),
    'storage.test': async ({ collection, settings }) => storage.testConnection(await existing(collection), settings && StorageSettingsSchema.parse(settings)),
    'storage.uploads': async ({ collection, state }) => ({ uploads: storage.uploads(await existing(collection), state ?? null) }),
    'storage.retry': async ({ collection, trajectoryId, path }) => ({
      retried: storage.retry(await existing(collection), trajectoryId && path ? { trajectoryId, path } : undefined),
    }),
    'storage.copyPlan': async ({ collection }) => storage.planCopy(await existing(collection)),
    'storage.copy': async ({ collection }) => storageCall(async () => storage.copyExisting(await existing(collection))),
    'storage.artifacts': async ({ id }) => {
      const trajectory = deps.store.getTrajectory(id);
      if (!trajectory) throw new ApiError('not_found', `no trajectory ${id}`);
      const records = storage.artifactUploads(id, trajectory.artifacts.map((a) => a.path));
      return {
        uploads: records.map((r) => ({ path: r.path, state: r.state, location: uploadLocation(r), lastError: r.lastError, attempts: r.attempts, nextAttemptAt: r.nextAttemptAt })),
      };
    },
  } satisfies Partial<Api>;
}
