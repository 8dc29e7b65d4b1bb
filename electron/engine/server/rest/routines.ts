import { NewRoutineSchema, RoutinePatchSchema } from '../../../../shared/routines';
import { NameSchema } from '../../../../shared/names';
import { RoutineError, type RoutineService } from '../../routines/service';
import type { WebhookService } from '../../webhooks/delivery';
import type { Route } from '../router';
import { HttpError, rest, restWithBody, validate } from './http';

const STATUS = { not_found: 404, bad_request: 400, conflict: 409 } as const;

/** A routine service call, its refusals as HTTP errors. */
async function call<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RoutineError) throw new HttpError(STATUS[error.kind], error.message);
    throw error;
  }
}

/** `/routines/…`: Jetty's routine API (list, get with next_run_at, create, update, delete, pause, resume, run-now, runs), and `/webhooks/deliveries`. */
export function routineRoutes(deps: { routines: RoutineService; webhooks: WebhookService }): Route[] {
  const { routines } = deps;
  const names = (p: Record<string, string>) => [validate(NameSchema, p.c, 'collection'), validate(NameSchema, p.t, 'task'), p.name] as const;
  return [
    rest('GET', '/routines/:c', async ({ params }) => routines.list(validate(NameSchema, params.c, 'collection')), { doc: { summary: "A collection's routines" } }),
    rest('GET', '/routines/:c/:t', async ({ params }) => routines.list(validate(NameSchema, params.c, 'collection'), validate(NameSchema, params.t, 'task')), {
      doc: { summary: "A task's routines" },
    }),
    rest('GET', '/routines/:c/:t/:name', async ({ params }) => call(() => routines.get(...names(params))), { doc: { summary: 'One routine, with next_run_at' } }),
    restWithBody('POST', '/routines/:c/:t', NewRoutineSchema, async ({ params }, body) => call(() => routines.create(params.c, params.t, body)), {
      status: 201,
      doc: { summary: 'Create a routine: a cadence (UTC), overrides of the task’s parameters, secret parameters (kept in the vault), a webhook' },
    }),
    restWithBody('PATCH', '/routines/:c/:t/:name', RoutinePatchSchema, async ({ params }, body) => call(() => routines.update(...names(params), body)), {
      doc: { summary: 'Change any of a routine’s fields' },
    }),
    rest('DELETE', '/routines/:c/:t/:name', async ({ params }) => call(() => (routines.remove(...names(params)), { deleted: true, name: params.name })), {
      doc: { summary: 'Delete a routine (its secrets leave the vault)' },
    }),
    rest('POST', '/routines/:c/:t/:name/pause', async ({ params }) => call(() => routines.pause(...names(params))), { doc: { summary: 'Pause a routine' } }),
    rest('POST', '/routines/:c/:t/:name/resume', async ({ params }) => call(() => routines.resume(...names(params))), {
      doc: { summary: 'Resume a routine (the paused time is not made up)' },
    }),
    rest('POST', '/routines/:c/:t/:name/run-now', async ({ params }) => call(() => routines.runNow(...names(params))), {
      doc: { summary: 'Run a routine now; answers its workflow_id' },
    }),
    rest(
      'GET',
      '/routines/:c/:t/:name/runs',
      async ({ params, url }) => {
        const limit = Number(url.searchParams.get('limit') ?? 20);
        if (!Number.isInteger(limit) || limit < 1) throw new HttpError(422, `limit: a positive integer, got '${url.searchParams.get('limit')}'`);
        return call(() => ({ runs: routines.runs(...names(params), limit) }));
      },
      { doc: { summary: "A routine's runs, newest first: each firing (its note says a missed or late one) and its trajectory, tagged triggered_by_routine_id", query: ['limit'] } },
    ),
    rest(
      'GET',
      '/webhooks/deliveries',
      async ({ url }) => {
        const id = url.searchParams.get('trajectory_id');
        return { deliveries: id ? [deps.webhooks.deliveryOf(id)].filter(Boolean) : deps.webhooks.deliveries(Number(url.searchParams.get('limit') ?? 100) || 100) };
      },
      { doc: { summary: "Webhook deliveries, newest first (state, attempts, last status and error); one run's with trajectory_id", query: ['trajectory_id', 'limit'] } },
    ),
  ];
}
