import { z } from 'zod';
import { EvaluationVerdictSchema, TrajectorySortSchema } from '../../../../shared/evaluation';
import { withTrajectoryId } from '../../trajectories/rest-shape';
import { LabelSchema, type Trajectory, type TrajectoryEvent } from '../../../../shared/trajectory';
import type { EngineOperations } from '../../operations';
import type { Store } from '../../store';
import type { Route } from '../router';
import { HttpError, readJson, readJsonValue, rest, validate } from './http';

/**
 * The most events one trajectory answer carries (the default page): the rest are asked for
 * with `events_after`, and `events_has_more` says they exist.
 */
export const MAX_TRAJECTORY_EVENTS = 10_000;

/**
 * One batch status update's bound: each id is a row update inside one transaction, and the
 * event loop must not stall for more than a few tens of milliseconds.
 */
export const MAX_STATUS_BATCH = 1000;
/** Room for MAX_STATUS_BATCH ids of up to ~200 characters with their statuses. */
const MAX_STATUS_BATCH_BYTES = 256 * 1024;

/** Room for a label at the store's limits (MAX_LABEL_VALUE_LENGTH, escaped) and its JSON framing. */
const MAX_LABEL_BODY_BYTES = 64 * 1024;

const Settable = z.enum(['pending', 'completed', 'failed', 'cancelled', 'archived']);
const Statuses = z.record(z.string(), Settable);
const NewLabel = LabelSchema.pick({ key: true, value: true, author: true });

export { withTrajectoryId };

/** A trajectory's committed events after `afterSeq`, oldest first, up to `limit`. */
export function allEvents(store: Store, id: string, limit = MAX_TRAJECTORY_EVENTS, afterSeq = 0): TrajectoryEvent[] {
  const events: TrajectoryEvent[] = [];
  while (events.length < limit) {
    const page = store.listEvents(id, { afterSeq: events.at(-1)?.seq ?? afterSeq, limit: Math.min(1000, limit - events.length) });
    if (page.length === 0) break;
    events.push(...page);
  }
  return events;
}

/** An optional enum query parameter (`?evaluation=failed`), checked against its schema. */
const enumParam = <S extends z.ZodType>(url: URL, name: string, schema: S): z.infer<S> | undefined => {
  const raw = url.searchParams.get(name);
  return raw === null || raw === '' ? undefined : validate(schema, raw, name);
};

const intParam = (url: URL, name: string): number | undefined => {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new HttpError(422, `${name}: must be an integer, got '${raw}'`);
  return n;
};

/** `/db/…` and `/trajectory/…`: list, get, stats, batch statuses, labels. */
export function trajectoryRoutes(deps: { store: Store; operations: EngineOperations }): Route[] {
  const { store } = deps;
  // The cloud's trajectory also says which routine started it and where its end is POSTed.
  const answer = (t: Trajectory) => ({
    ...withTrajectoryId(t),
    triggered_by_routine_id: store.routines().firingOf(t.id)?.routine_id ?? null,
    webhook_url: store.webhooks().webhookOf(t.id)?.url ?? null,
  });
  const inTask = (c: string, t: string, id: string): Trajectory => {
    const found = store.getTrajectory(id);
    if (!found || found.collection !== c || found.task !== t) throw new HttpError(404, `no trajectory '${id}' in ${c}/${t}`);
    return found;
  };
  return [
    rest('GET', '/db/trajectories/:c/:t', async ({ params, url }) => {
      const page = store.listTrajectories({
        collection: params.c,
        task: params.t,
        evaluation: enumParam(url, 'evaluation', EvaluationVerdictSchema),
        sort: enumParam(url, 'sort', TrajectorySortSchema),
        limit: intParam(url, 'limit'),
        page: intParam(url, 'page'),
      });
      return { ...page, trajectories: page.trajectories.map(answer) };
    }),
    // One page of events: `events_after` (a seq, default 0) and `events_limit` (1 to
    // MAX_TRAJECTORY_EVENTS, the default); `events_has_more` says whether events follow the page.
    rest('GET', '/db/trajectory/:c/:t/:id', async ({ params, url }) => {
      const t = inTask(params.c, params.t, params.id);
      const after = intParam(url, 'events_after') ?? 0;
      const limit = intParam(url, 'events_limit') ?? MAX_TRAJECTORY_EVENTS;
      if (after < 0) throw new HttpError(422, `events_after: must be 0 or more, got ${after}`);
      if (limit < 1 || limit > MAX_TRAJECTORY_EVENTS) throw new HttpError(422, `events_limit: must be 1 to ${MAX_TRAJECTORY_EVENTS}, got ${limit}`);
      const events = allEvents(store, t.id, limit, after);
      const more = events.length === limit && store.listEvents(t.id, { afterSeq: events.at(-1)!.seq, limit: 1 }).length > 0;
      return { ...answer(t), workflow_id: t.id, events, events_has_more: more };
    }),
    rest('GET', '/db/stats/:c/:t', async ({ params }) => ({ collection: params.c, task: params.t, ...store.stats({ collection: params.c, task: params.t }) })),
    rest(
      'POST',
      '/trajectory/:c/:t/statuses',
      async (ctx) => {
        const body = await readJsonValue(ctx);
        const count = body !== null && typeof body === 'object' ? Object.keys(body).length : 0;
        if (count > MAX_STATUS_BATCH) throw new HttpError(413, `at most ${MAX_STATUS_BATCH} trajectories per status update, got ${count}: send them in batches`);
        const statuses = validate(Statuses, body, 'body');
        return deps.operations.setStatuses(statuses, { collection: ctx.params.c, task: ctx.params.t });
      },
      { maxBodyBytes: MAX_STATUS_BATCH_BYTES },
    ),
    rest(
      'POST',
      '/trajectory/:c/:t/:id/labels',
      async (ctx) => {
        const label = await readJson(ctx, NewLabel);
        inTask(ctx.params.c, ctx.params.t, ctx.params.id);
        return deps.operations.addLabel(ctx.params.id, label);
      },
      { status: 201, maxBodyBytes: MAX_LABEL_BODY_BYTES },
    ),
  ];
}
