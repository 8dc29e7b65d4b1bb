import { parseArgs } from 'node:util';
import { DAYS_OF_WEEK, cadenceText, type Cadence, type Routine } from '../../../shared/routines';
import { ApiError, createClient, dispatch } from '../../../shared/rpc';
import { createEngine, type Engine } from '../../engine/api';
import { resolveDataDir } from '../../engine/base/data-dir';
import type { Command } from '../command';
import { UsageError } from '../usage-error';
import { jsonValues } from '../param-args';

const USAGE = `Usage: jetty routine list [collection[/task]] [--json]
       jetty routine show|runs|pause|resume|delete|run-now <collection/task/name> [--json]
       jetty routine create <collection/task/name> --cadence C [--param k=v]... [--secret NAME]...
                            [--paused] [--webhook-url U] [--webhook-secret-env VAR] [--json]
       jetty routine update <collection/task/name> [the options of create]
(every form takes --data-dir D)

Routines are scheduled runs of a task (a runbook or a workflow). They fire while the app,
jetty serve or jetty mcp runs; after a sleep or a restart a missed firing runs once.

--cadence   manual | hourly[@MM] | daily@HH:MM | weekdays@HH:MM | weekly@DAY@HH:MM
            (UTC; DAY is ${DAYS_OF_WEEK.join('|')}), or the JSON cadence {"type":"daily","hour_utc":9}
--param     overrides one of the task's own parameters (a value that parses as JSON is JSON)
--secret    a secret parameter, its value read from this process's environment variable
            NAME (never from the command line); kept in the vault
--webhook-secret-env  the environment variable holding the webhook's signing secret
run-now     starts the routine's run in this process and waits for it to end
            (exit 0 completed, 1 failed or cancelled).`;

const OPTIONS = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean' },
  cadence: { type: 'string' },
  param: { type: 'string', multiple: true },
  secret: { type: 'string', multiple: true },
  paused: { type: 'boolean' },
  'webhook-url': { type: 'string' },
  'webhook-secret-env': { type: 'string' },
} as const;

/** A cadence from its short form (`daily@09:30`) or its JSON. */
export function parseCadence(text: string): Cadence {
  if (text.trim().startsWith('{')) {
    try {
      return JSON.parse(text) as Cadence;
    } catch (err) {
      throw new UsageError(`routine: --cadence is not JSON: ${(err as Error).message}`);
    }
  }
  const [type, ...rest] = text.split('@');
  const time = (hhmm: string | undefined) => {
    const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm ?? '');
    if (!m) throw new UsageError(`routine: --cadence ${type} needs a time HH:MM (UTC), as in ${type}@09:30`);
    return { hour_utc: Number(m[1]), minute_utc: Number(m[2]) };
  };
  if (type === 'manual' && rest.length === 0) return { type };
  if (type === 'hourly' && rest.length <= 1) return { type, minute_utc: rest.length ? Number(rest[0]) : 0 };
  if ((type === 'daily' || type === 'weekdays') && rest.length <= 1) return { type, ...time(rest[0]) };
  if (type === 'weekly' && rest.length <= 2) return { type, day_of_week: rest[0] as (typeof DAYS_OF_WEEK)[number], ...time(rest[1]) };
  throw new UsageError(`routine: unknown --cadence '${text}' (manual, hourly[@MM], daily@HH:MM, weekdays@HH:MM, weekly@DAY@HH:MM)`);
}


/** A value named by an environment variable; refused when it is not set. */
function fromEnv(name: string, what: string): string {
  const value = process.env[name];
  if (!value) throw new UsageError(`routine: ${what}: the environment variable ${name} is not set`);
  return value;
}

type Values = ReturnType<typeof parse>['values'];

/** The routine fields the options give (only those given). */
function fields(values: Values) {
  return {
    ...(values.cadence !== undefined ? { cadence: parseCadence(values.cadence) } : {}),
    ...(values.param ? { init_params_overrides: jsonValues(values.param) } : {}),
    ...(values.secret ? { secret_params: Object.fromEntries(values.secret.map((name) => [name, fromEnv(name, '--secret')])) } : {}),
    ...(values.paused !== undefined ? { paused: values.paused } : {}),
    ...(values['webhook-url'] !== undefined ? { webhook_url: values['webhook-url'] } : {}),
    ...(values['webhook-secret-env'] !== undefined ? { webhook_secret: fromEnv(values['webhook-secret-env'], '--webhook-secret-env') } : {}),
  };
}

function parse(args: string[]) {
  try {
    return parseArgs({ args, allowPositionals: true, options: OPTIONS });
  } catch (err) {
    throw new UsageError(`routine: ${(err as Error).message}`);
  }
}

/** `collection/task/name`. */
function target(text: string | undefined): { collection: string; task: string; name: string } {
  const parts = (text ?? '').split('/');
  if (parts.length !== 3 || parts.some((p) => !p)) throw new UsageError(`routine: name the routine as collection/task/name, got '${text ?? ''}'`);
  return { collection: parts[0], task: parts[1], name: parts[2] };
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

const routineRows = (list: Routine[]) =>
  table([
    ['ROUTINE', 'CADENCE', 'STATE', 'NEXT RUN', 'LAST RUN'],
    ...list.map((r) => [`${r.collection}/${r.task}/${r.name}`, cadenceText(r.cadence), r.paused ? 'paused' : 'active', r.next_run_at ?? '-', r.last_run_at ?? '-']),
  ]);

/** Resolves with the trajectory's status when it has ended (the store says so). */
function ended(engine: Engine, id: string): Promise<string> {
  const store = engine.services.store;
  return new Promise((resolve) => {
    const check = () => {
      const status = store.getTrajectoryHeader(id)?.status;
      if (status && status !== 'pending' && status !== 'running') {
        off();
        resolve(status);
      }
    };
    const off = store.onChange(({ table: t, trajectoryId }) => t === 'trajectories' && trajectoryId === id && setImmediate(check));
    check();
  });
}

export const routine: Command = {
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parse(args);
    const [sub, name, ...rest] = positionals;
    const known = ['list', 'show', 'runs', 'pause', 'resume', 'delete', 'run-now', 'create', 'update'];
    if (!sub || !known.includes(sub) || rest.length > 0) throw new UsageError(`routine: ${USAGE}`);
    const print = (value: unknown, text: string) => process.stdout.write(`${values.json ? JSON.stringify(value, null, 2) : text}\n`);
    const one = sub === 'list' ? null : target(name);
    const engine = await createEngine({ dataDir: resolveDataDir(values['data-dir']), scheduleRoutines: false });
    // Through the contract's validation, as every door calls it (a bad field is an ApiError naming it).
    const api = createClient({ call: (method, input) => dispatch(engine.api, method, input), subscribe: () => () => undefined });
    try {
      if (sub === 'list') {
        const [collection, task] = name ? name.split('/') : [];
        const list = await api['routine.list']({ collection: collection || undefined, task: task || undefined });
        print(list, list.length ? routineRows(list) : 'No routines.');
        return 0;
      }
      const where = one!;
      switch (sub) {
        case 'show': {
          const [r] = (await api['routine.list']({ collection: where.collection, task: where.task })).filter((x) => x.name === where.name);
          if (!r) throw new ApiError('not_found', `no routine '${where.name}' on ${where.collection}/${where.task}`);
          print(r, `${routineRows([r])}\nparameters: ${JSON.stringify(r.init_params_overrides)}\nsecret parameters: ${r.secret_params.join(', ') || '-'}\nwebhook: ${r.webhook_url ?? '-'}${r.webhook_secret_set ? ' (signed)' : ''}`);
          return 0;
        }
        case 'create':
        case 'update': {
          const r =
            sub === 'create'
              ? await api['routine.create']({ collection: where.collection, task: where.task, routine: { name: where.name, ...fields(values) } as Parameters<typeof api['routine.create']>[0]['routine'] })
              : await api['routine.update']({ ...where, patch: fields(values) });
          print(r, routineRows([r]));
          return 0;
        }
        case 'pause':
        case 'resume': {
          const r = await api[sub === 'pause' ? 'routine.pause' : 'routine.resume'](where);
          print(r, routineRows([r]));
          return 0;
        }
        case 'delete':
          print(await api['routine.delete'](where), `Deleted ${where.collection}/${where.task}/${where.name}.`);
          return 0;
        case 'runs': {
          const runs = await api['routine.runs']({ ...where, limit: 20 });
          print(runs, runs.length ? table([['TRAJECTORY', 'FIRED', 'STATUS', 'NOTE'], ...runs.map((f) => [f.trajectory_id, f.fired_at, f.status ?? f.state, f.note])]) : 'No runs yet.');
          return 0;
        }
        default: {
          const { trajectory_id } = await api['routine.runNow'](where);
          if (!values.json) process.stdout.write(`Started ${trajectory_id}\n`);
          const status = await ended(engine, trajectory_id);
          print({ trajectory_id, status }, `${trajectory_id}: ${status}`);
          return status === 'completed' ? 0 : 1;
        }
      }
    } catch (err) {
      if (err instanceof ApiError) throw new UsageError(`routine: ${err.message}`);
      throw err;
    } finally {
      await engine.close();
    }
  },
};
