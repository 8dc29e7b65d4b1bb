import { z } from 'zod';
import { NameSchema } from '../../../../shared/names';
import type { CollectionEnvironment } from '../../secrets/collection-env';
import type { Store } from '../../store';
import type { Route } from '../router';
import type { CatalogView } from './catalog-view';
import { HttpError, readJson, rest, validate } from './http';

/** Values are never returned: a key maps to this mask. */
export const MASK = '********';

const masked = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, MASK]));

const NewCollection = z.object({ name: z.string(), description: z.string().optional() });
const EnvironmentPatch = z.object({ environment_variables: z.record(z.string(), z.string().nullable()) });

/** `/collections/…`: list, get, create, and the environment (keys only out, merge in). */
export function collectionRoutes(deps: { store: Store; catalog: CatalogView; environment: CollectionEnvironment }): Route[] {
  const { store, catalog, environment } = deps;
  const existing = async (name: string) => {
    const found = await catalog.collection(validate(NameSchema, name, 'collection'));
    if (!found) throw new HttpError(404, `no collection named '${name}'`);
    return found;
  };
  return [
    rest('GET', '/collections', () => catalog.collections()),
    rest('GET', '/collections/:c', async ({ params }) => ({
      ...(await existing(params.c)),
      environment_variables: masked(environment.keys(params.c)),
      tasks: (await catalog.tasks(params.c)).map((t) => t.name),
    })),
    rest(
      'POST',
      '/collections',
      async (ctx) => {
        const body = await readJson(ctx, NewCollection);
        if (await catalog.collection(body.name)) throw new HttpError(409, `a collection named '${body.name}' already exists`);
        return { ...store.createCollection(body), source: 'local' };
      },
      { status: 201 },
    ),
    rest('GET', '/collections/:c/environment', async ({ params }) => {
      await existing(params.c);
      return masked(environment.keys(params.c));
    }),
    rest('PATCH', '/collections/:c/environment', async (ctx) => {
      await existing(ctx.params.c);
      const body = await readJson(ctx, EnvironmentPatch);
      try {
        return masked(environment.patch(ctx.params.c, body.environment_variables));
      } catch (error) {
        throw new HttpError(422, (error as Error).message);
      }
    }),
  ];
}
