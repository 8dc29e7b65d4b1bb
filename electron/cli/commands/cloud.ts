import { parseArgs } from 'node:util';
import type { Command } from '../command';
import { withCloud } from '../cloud-session';
import { UsageError } from '../usage-error';

const USAGE = `Usage: jetty cloud <what> [--json] [--data-dir D]

  jetty cloud collections                     the remote's collections
  jetty cloud tasks <COLLECTION>              a collection's tasks
  jetty cloud trajectories <C>/<T> [--page N] [--limit N]
  jetty cloud outbox                          pushes waiting for the remote, and why
  jetty cloud outbox deliver                  deliver what waits now, and say what came of each
  jetty cloud outbox retry|drop <SEQ>         retry or drop a failed push`;

const slashPair = (value: string | undefined): [string, string] => {
  const [c, t, ...rest] = (value ?? '').split('/');
  if (!c || !t || rest.length > 0) throw new UsageError(`expected COLLECTION/TASK, got '${value ?? ''}'\n\n${USAGE}`);
  return [c, t];
};

export const cloud: Command = {
  usage: USAGE,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, page: { type: 'string' }, limit: { type: 'string' }, 'data-dir': { type: 'string' } },
    });
    const [what, arg, arg2] = positionals;
    const out = (print: (l: string) => void, value: unknown, lines: () => string[]) => (values.json ? print(JSON.stringify(value, null, 2)) : lines().forEach((l) => print(l)));
    return withCloud(values['data-dir'], async (service, print) => {
      switch (what) {
        case 'collections': {
          const list = await service.collections();
          out(print, list, () => list.map((c) => `${c.name}${c.description ? `  ${c.description}` : ''}`));
          return 0;
        }
        case 'tasks': {
          if (!arg) throw new UsageError(`jetty cloud tasks <COLLECTION>\n\n${USAGE}`);
          const list = await service.tasks(arg);
          out(print, list, () => list.map((t) => `${t.name}${t.description ? `  ${t.description}` : ''}`));
          return 0;
        }
        case 'trajectories': {
          const [c, t] = slashPair(arg);
          const page = await service.trajectories(c, t, Number(values.page ?? 1), Number(values.limit ?? 20));
          out(print, page, () => [
            ...page.trajectories.map((x) => `${String(x.trajectory_id ?? x.id)}  ${String(x.status)}  ${String(x.created_at ?? '')}`),
            `page ${page.page}, ${page.trajectories.length} of ${page.total}${page.has_more ? ' (more: --page)' : ''}`,
          ]);
          return 0;
        }
        case 'outbox': {
          if (arg === 'retry' || arg === 'drop') {
            const seq = Number(arg2);
            if (!Number.isInteger(seq)) throw new UsageError(`jetty cloud outbox ${arg} <SEQ>`);
            const ok = arg === 'retry' ? await service.retry(seq) : await service.drop(seq);
            print(ok ? `#${seq} ${arg === 'retry' ? 'retried' : 'dropped'}` : `no outbox item #${seq}`);
            return ok ? 0 : 1;
          }
          if (arg === 'deliver') {
            await service.flush();
            if (!values.json) for (const d of service.delivered().reverse()) print(`#${d.seq} delivered: ${d.outcome}`);
            // Remote runs delivered now are followed to their end before the command exits.
            await service.following();
          } else if (arg) throw new UsageError(USAGE);
          const items = service.outbox().map(({ payload: _p, idempotency_key: _k, ...item }) => item);
          out(print, items, () => (items.length === 0 ? ['the outbox is empty'] : items.map((i) => `#${i.seq} ${i.state} ${i.summary} (${i.attempts} attempts)${i.last_error ? `: ${i.last_error}` : ''}`)));
          return 0;
        }
        default:
          throw new UsageError(USAGE);
      }
    });
  },
};
