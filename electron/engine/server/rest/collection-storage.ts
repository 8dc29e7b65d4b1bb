import { z } from 'zod';
import { NameSchema } from '../../../../shared/names';
import { StorageSettingsSchema } from '../../../../shared/storage';
import { StorageError, type StorageService } from '../../storage';
import type { Route } from '../router';
import type { CatalogView } from './catalog-view';
import { HttpError, readJson, rest, validate } from './http';

const Keys = z.object({ access_key_id: z.string().min(1).max(256), secret_access_key: z.string().min(1).max(1024) });
const Configure = z.object({ settings: StorageSettingsSchema, credentials: Keys.optional() });
const TestBody = z.object({ settings: StorageSettingsSchema.optional() });
const UploadState = z.enum(['pending', 'done']).optional();
/** `{}` retries all of the collection's pending uploads; with both fields, that one. */
const RetryBody = z.object({ trajectory_id: z.string().regex(/^[0-9a-f]{8}$/).optional(), path: z.string().min(1).max(4096).optional() });

/**
 * `/collections/{c}/storage…`: a collection's artifact storage. GET and PUT the settings
 * (keys go into the vault and are never returned: only where they come from), POST
 * `/test` writes, reads and deletes a probe object, GET `/uploads` lists the queue, POST
 * `/uploads/retry` makes pending uploads due now, GET `/copy` says what a copy to the
 * current backend would move and POST `/copy` starts it (from local copies and the old
 * remote backend).
 */
export function collectionStorageRoutes(deps: { storage: StorageService; catalog: CatalogView }): Route[] {
  const { storage, catalog } = deps;
  const existing = async (name: string) => {
    if (!(await catalog.collection(validate(NameSchema, name, 'collection')))) throw new HttpError(404, `no collection named '${name}'`);
    return name;
  };
  const refused = (error: unknown): never => {
    if (error instanceof StorageError) throw new HttpError(422, error.message);
    throw error;
  };
  return [
    rest('GET', '/collections/:c/storage', async ({ params }) => storage.describe(await existing(params.c))),
    rest('PUT', '/collections/:c/storage', async (ctx) => {
      const collection = await existing(ctx.params.c);
      const body = await readJson(ctx, Configure);
      const keys = body.credentials && { accessKeyId: body.credentials.access_key_id, secretAccessKey: body.credentials.secret_access_key };
      try {
        return storage.configure(collection, body.settings, keys);
      } catch (error) {
        return refused(error);
      }
    }),
    rest('POST', '/collections/:c/storage/test', async (ctx) => {
      const collection = await existing(ctx.params.c);
      const body = await readJson(ctx, TestBody);
      return storage.testConnection(collection, body.settings);
    }),
    rest('GET', '/collections/:c/storage/uploads', async ({ params, url }) => {
      const collection = await existing(params.c);
      const state = validate(UploadState, url.searchParams.get('state') ?? undefined, 'state');
      return { uploads: storage.uploads(collection, state ?? null) };
    }),
    rest('POST', '/collections/:c/storage/uploads/retry', async (ctx) => {
      const collection = await existing(ctx.params.c);
      const one = await readJson(ctx, RetryBody);
      return { retried: storage.retry(collection, one.trajectory_id && one.path ? { trajectoryId: one.trajectory_id, path: one.path } : undefined) };
    }),
    rest('GET', '/collections/:c/storage/copy', async ({ params }) => storage.planCopy(await existing(params.c))),
    rest('POST', '/collections/:c/storage/copy', async ({ params }) => storage.copyExisting(await existing(params.c))),
  ];
}
