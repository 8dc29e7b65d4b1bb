import { NameSchema } from '../../../../shared/names';
import type { Route } from '../router';
import type { CatalogView } from './catalog-view';
import { HttpError, rest, validate } from './http';

/**
 * `GET /trial/{c}`: a local Jetty has no trial (runs use the collection's own keys), so a
 * client that checks the trial before a run, as the cloud's clients do, is told it is not
 * active; `POST /trial/{c}/activate` is refused.
 */
export function trialRoutes(deps: { catalog: CatalogView }): Route[] {
  const existing = async (c: string) => {
    if (!(await deps.catalog.collection(validate(NameSchema, c, 'collection')))) throw new HttpError(404, `no collection named '${c}'`);
  };
  return [
    rest('GET', '/trial/:c', async ({ params }) => {
      await existing(params.c);
      return { collection: params.c, active: false };
    }),
    rest('POST', '/trial/:c/activate', async ({ params }) => {
      await existing(params.c);
      throw new HttpError(422, 'this Jetty has no trials: set provider keys in the collection environment');
    }),
  ];
}
